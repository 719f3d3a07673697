//! Generates, from the real AWS models of the reference data, the clients the moto tests drive:
//! each service with only the operations the tests call (so the crate builds in seconds), one
//! file per service in `OUT_DIR`, compiled into this crate's library. Without the reference
//! data nothing is generated, `cfg(reference_data)` stays unset and `tests/skipped.rs` says what
//! did not run.

use smithy_gen::build::Builder;

/// (module and file name, model inside the reference data, operations the tests call).
const CLIENTS: [(&str, &str, &[&str]); 13] = [
    (
        "dynamodb",
        "models/aws/dynamodb-2012-08-10.json",
        &[
            "CreateTable",
            "DescribeTable",
            "PutItem",
            "GetItem",
            "Query",
            "UpdateItem",
            "DeleteTable",
        ],
    ),
    (
        "sqs",
        "models/aws/sqs-2012-11-05.json",
        &[
            "CreateQueue",
            "GetQueueUrl",
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
        ],
    ),
    (
        "kms",
        "models/aws/kms-2014-11-01.json",
        &["CreateKey", "Encrypt", "Decrypt", "DescribeKey"],
    ),
    (
        "secrets_manager",
        "models/aws/secrets-manager-2017-10-17.json",
        &[
            "CreateSecret",
            "GetSecretValue",
            "PutSecretValue",
            "ListSecrets",
            "DeleteSecret",
        ],
    ),
    (
        "cloudwatch_logs",
        "models/aws/cloudwatch-logs-2014-03-28.json",
        &[
            "CreateLogGroup",
            "CreateLogStream",
            "PutLogEvents",
            "GetLogEvents",
        ],
    ),
    (
        "s3",
        "models/aws/s3-2006-03-01.json",
        &[
            "CreateBucket",
            "PutObject",
            "GetObject",
            "HeadObject",
            "ListObjectsV2",
            "DeleteObject",
            "CopyObject",
            "DeleteObjects",
            "PutObjectTagging",
            "GetObjectTagging",
            "PutBucketVersioning",
            "ListObjectVersions",
            "CreateMultipartUpload",
            "UploadPart",
            "CompleteMultipartUpload",
            "HeadBucket",
        ],
    ),
    (
        "sts",
        "models/aws/sts-2011-06-15.json",
        &[
            "GetCallerIdentity",
            "AssumeRole",
            "AssumeRoleWithWebIdentity",
        ],
    ),
    (
        "iam",
        "models/aws/iam-2010-05-08.json",
        &[
            "CreateUser",
            "GetUser",
            "ListUsers",
            "ListUserTags",
            "CreatePolicy",
            "ListPolicies",
        ],
    ),
    (
        "sns",
        "models/aws/sns-2010-03-31.json",
        &[
            "CreateTopic",
            "Subscribe",
            "Publish",
            "ListTopics",
            "ListSubscriptionsByTopic",
        ],
    ),
    (
        "cloudwatch",
        "models/aws/cloudwatch-2010-08-01.json",
        &["PutMetricData", "GetMetricStatistics", "ListMetrics"],
    ),
    (
        "cloudformation",
        "models/aws/cloudformation-2010-05-15.json",
        &["CreateStack", "DescribeStacks", "DeleteStack"],
    ),
    (
        "ssm",
        "models/aws/ssm-2014-11-06.json",
        &[
            "PutParameter",
            "GetParameter",
            "GetParametersByPath",
            "DeleteParameter",
        ],
    ),
    (
        "route_53",
        "models/aws/route-53-2013-04-01.json",
        &[
            "CreateHostedZone",
            "GetHostedZone",
            "ChangeResourceRecordSets",
            "ListResourceRecordSets",
            "DeleteHostedZone",
        ],
    ),
];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(reference_data)");
    // Our own EC2 model (the reference data has none), generated whatever the machine has.
    let ec2 = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/models/ec2.smithy");
    println!("cargo:rerun-if-changed={}", ec2.display());
    Builder::new()
        .model(&ec2)
        .generate_into_out_dir("ec2.rs")
        .unwrap_or_else(|e| panic!("generating ec2 from {}: {e}", ec2.display()));
    println!("cargo:rerun-if-env-changed={}", reference_data::ENV_VAR);
    let models: Option<Vec<_>> = CLIENTS
        .iter()
        .map(|(_, model, _)| reference_data::path(model))
        .collect();
    let Some(models) = models else {
        println!(
            "cargo:warning={}",
            reference_data::skip_line(
                "moto-tests",
                "the clients generated from the real DynamoDB, SQS, KMS, Secrets Manager, \
                 CloudWatch Logs, S3, STS, IAM, SNS, CloudWatch, CloudFormation, SSM and Route 53 models",
                "models/aws",
            )
        );
        return;
    };
    for ((name, _, operations), model) in CLIENTS.iter().zip(models) {
        let builder = operations
            .iter()
            .fold(Builder::new().model(&model), |builder, operation| {
                builder.operation(*operation)
            });
        builder
            .generate_into_out_dir(&format!("{name}.rs"))
            .unwrap_or_else(|e| panic!("generating {name} from {}: {e}", model.display()));
    }
    println!("cargo:rustc-cfg=reference_data");
}
