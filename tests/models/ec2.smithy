$version: "2"

// A small Amazon EC2 of our own, written from the public EC2 API reference (the reference data
// has no EC2 model: it is too large for the snapshot): five operations of the ec2Query
// protocol with EC2's naming (`@ec2QueryName` on the request side, lower-case `@xmlName`s and
// `item` lists on the response side), a paginated listing with filters, and the
// `InstanceRunning` / `InstanceTerminated` waiters. Driven against moto by
// moto-tests/tests/ec2.rs and generated in tests/build.rs.
namespace test.ec2

use aws.auth#sigv4
use aws.protocols#ec2Query
use aws.protocols#ec2QueryName
use smithy.waiters#waitable

@ec2Query
@sigv4(name: "ec2")
@xmlNamespace(uri: "http://ec2.amazonaws.com/doc/2016-11-15")
service AmazonEC2 {
    version: "2016-11-15"
    operations: [
        DescribeRegions
        DescribeInstances
        RunInstances
        CreateTags
        TerminateInstances
    ]
}

/// Lists the Regions enabled for the account.
@readonly
operation DescribeRegions {
    input := {
        /// Only these Regions.
        @ec2QueryName("RegionName")
        @xmlName("RegionName")
        RegionNames: RegionNameList

        /// Filters such as `endpoint` or `region-name`.
        @ec2QueryName("Filter")
        @xmlName("Filter")
        Filters: FilterList

        /// Also Regions not enabled for the account.
        @ec2QueryName("AllRegions")
        @xmlName("AllRegions")
        AllRegions: Boolean
    }
    output := {
        @xmlName("regionInfo")
        Regions: RegionList
    }
}

/// Describes instances, a page of reservations at a time.
@readonly
@paginated(inputToken: "NextToken", outputToken: "NextToken", items: "Reservations", pageSize: "MaxResults")
@waitable(
    InstanceRunning: {
        documentation: "Waits until every instance described is running."
        acceptors: [
            {
                state: "success"
                matcher: {
                    output: { path: "Reservations[].Instances[].State.Name", expected: "running", comparator: "allStringEquals" }
                }
            }
            {
                state: "failure"
                matcher: {
                    output: { path: "Reservations[].Instances[].State.Name", expected: "shutting-down", comparator: "anyStringEquals" }
                }
            }
            {
                state: "failure"
                matcher: {
                    output: { path: "Reservations[].Instances[].State.Name", expected: "terminated", comparator: "anyStringEquals" }
                }
            }
            {
                state: "retry"
                matcher: { errorType: "InvalidInstanceID.NotFound" }
            }
        ]
        minDelay: 1
        maxDelay: 5
    }
    InstanceTerminated: {
        documentation: "Waits until every instance described is terminated."
        acceptors: [
            {
                state: "success"
                matcher: {
                    output: { path: "Reservations[].Instances[].State.Name", expected: "terminated", comparator: "allStringEquals" }
                }
            }
            {
                state: "failure"
                matcher: {
                    output: { path: "Reservations[].Instances[].State.Name", expected: "pending", comparator: "anyStringEquals" }
                }
            }
        ]
        minDelay: 1
        maxDelay: 5
    }
)
operation DescribeInstances {
    input := {
        /// Filters such as `instance-state-name` or `tag:<key>`.
        @ec2QueryName("Filter")
        @xmlName("Filter")
        Filters: FilterList

        /// Only these instances.
        @ec2QueryName("InstanceId")
        @xmlName("InstanceId")
        InstanceIds: InstanceIdList

        /// At most this many results per page (5 to 1000).
        @ec2QueryName("MaxResults")
        @xmlName("maxResults")
        MaxResults: Integer

        /// The token of the page to read.
        @ec2QueryName("NextToken")
        @xmlName("nextToken")
        NextToken: String
    }
    output := {
        @xmlName("reservationSet")
        Reservations: ReservationList

        /// The token of the next page, absent on the last one.
        @xmlName("nextToken")
        NextToken: String
    }
}

/// Launches instances from an image.
operation RunInstances {
    input := {
        @ec2QueryName("ImageId")
        @xmlName("ImageId")
        ImageId: String

        @ec2QueryName("InstanceType")
        @xmlName("InstanceType")
        InstanceType: String

        /// The fewest instances to launch.
        @required
        @ec2QueryName("MinCount")
        @xmlName("MinCount")
        MinCount: Integer

        /// The most instances to launch.
        @required
        @ec2QueryName("MaxCount")
        @xmlName("MaxCount")
        MaxCount: Integer

        /// Tags for the instances (and other resources) created.
        @ec2QueryName("TagSpecification")
        @xmlName("TagSpecification")
        TagSpecifications: TagSpecificationList

        /// Makes the request idempotent.
        @idempotencyToken
        @ec2QueryName("ClientToken")
        @xmlName("clientToken")
        ClientToken: String
    }
    output: Reservation
}

/// Adds or overwrites tags on resources.
operation CreateTags {
    input := {
        @required
        @ec2QueryName("ResourceId")
        @xmlName("ResourceId")
        Resources: ResourceIdList

        @required
        @ec2QueryName("Tag")
        @xmlName("Tag")
        Tags: TagList
    }
    output: Unit
}

/// Shuts down and deletes instances.
@idempotent
operation TerminateInstances {
    input := {
        @required
        @ec2QueryName("InstanceId")
        @xmlName("InstanceId")
        InstanceIds: InstanceIdList
    }
    output := {
        @xmlName("instancesSet")
        TerminatingInstances: InstanceStateChangeList
    }
}

/// A launch of one or more instances.
structure Reservation {
    @xmlName("reservationId")
    ReservationId: String

    @xmlName("ownerId")
    OwnerId: String

    @xmlName("instancesSet")
    Instances: InstanceList
}

structure Instance {
    @xmlName("instanceId")
    InstanceId: String

    @xmlName("imageId")
    ImageId: String

    @xmlName("instanceType")
    InstanceType: String

    @xmlName("instanceState")
    State: InstanceState

    @xmlName("launchTime")
    LaunchTime: Timestamp

    @xmlName("privateIpAddress")
    PrivateIpAddress: String

    @xmlName("tagSet")
    Tags: TagList
}

structure InstanceState {
    /// The state as a number: 0 pending, 16 running, 32 shutting-down, 48 terminated, 64
    /// stopping, 80 stopped.
    @xmlName("code")
    Code: Integer

    @xmlName("name")
    Name: InstanceStateName
}

enum InstanceStateName {
    PENDING = "pending"
    RUNNING = "running"
    SHUTTING_DOWN = "shutting-down"
    TERMINATED = "terminated"
    STOPPING = "stopping"
    STOPPED = "stopped"
}

structure InstanceStateChange {
    @xmlName("instanceId")
    InstanceId: String

    @xmlName("currentState")
    CurrentState: InstanceState

    @xmlName("previousState")
    PreviousState: InstanceState
}

structure Region {
    @xmlName("regionName")
    RegionName: String

    @xmlName("regionEndpoint")
    Endpoint: String

    @xmlName("optInStatus")
    OptInStatus: String
}

structure Filter {
    Name: String

    @xmlName("Value")
    Values: ValueStringList
}

structure Tag {
    @xmlName("key")
    Key: String

    @xmlName("value")
    Value: String
}

structure TagSpecification {
    /// The kind of resource to tag (`instance`, `volume`, ...).
    @xmlName("resourceType")
    ResourceType: String

    @ec2QueryName("Tag")
    @xmlName("Tag")
    Tags: TagList
}

list ReservationList {
    @xmlName("item")
    member: Reservation
}

list InstanceList {
    @xmlName("item")
    member: Instance
}

list InstanceStateChangeList {
    @xmlName("item")
    member: InstanceStateChange
}

list RegionList {
    @xmlName("item")
    member: Region
}

list FilterList {
    @xmlName("Filter")
    member: Filter
}

list TagList {
    @xmlName("item")
    member: Tag
}

list TagSpecificationList {
    @xmlName("item")
    member: TagSpecification
}

list InstanceIdList {
    @xmlName("InstanceId")
    member: String
}

list ResourceIdList {
    member: String
}

list RegionNameList {
    @xmlName("RegionName")
    member: String
}

list ValueStringList {
    @xmlName("item")
    member: String
}
