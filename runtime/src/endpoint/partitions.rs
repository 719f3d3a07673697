//! The built-in partition data, as Rust source.
//!
//! It mirrors the partition file the AWS model corpus's endpoint tests were generated with
//! (smithy's `partitions.json` of July 2025, which added `aws-eusc`). It deliberately predates
//! the September 2025 change that enabled dual-stack in the iso partitions: with the newer
//! data, over a thousand corpus endpoint tests expect different URLs. The integration test
//! `endpoint_partitions` checks this table field by field against that file; callers who need
//! newer data load it with [`super::PartitionTable::from_json`].
//!
//! The data is plain `static` items (no allocation, no parsing at start-up); the public,
//! owned [`super::PartitionTable`] is built from it once on first use.

/// One partition of the built-in table.
pub(super) struct PartitionData {
    pub(super) id: &'static str,
    pub(super) region_regex: &'static str,
    pub(super) regions: &'static [RegionData],
    pub(super) outputs: OutputsData,
}

/// One listed region of the built-in table.
pub(super) struct RegionData {
    pub(super) name: &'static str,
    pub(super) description: Option<&'static str>,
    pub(super) overrides: OverridesData,
}

/// Per-region output overrides; none of the built-in regions has any today, but the format
/// allows them, so the table can carry them.
pub(super) struct OverridesData {
    pub(super) name: Option<&'static str>,
    pub(super) dns_suffix: Option<&'static str>,
    pub(super) dual_stack_dns_suffix: Option<&'static str>,
    pub(super) supports_fips: Option<bool>,
    pub(super) supports_dual_stack: Option<bool>,
    pub(super) implicit_global_region: Option<&'static str>,
}

/// A partition's outputs.
pub(super) struct OutputsData {
    pub(super) name: &'static str,
    pub(super) dns_suffix: &'static str,
    pub(super) dual_stack_dns_suffix: &'static str,
    pub(super) supports_fips: bool,
    pub(super) supports_dual_stack: bool,
    pub(super) implicit_global_region: Option<&'static str>,
}

const NO_OVERRIDES: OverridesData = OverridesData {
    name: None,
    dns_suffix: None,
    dual_stack_dns_suffix: None,
    supports_fips: None,
    supports_dual_stack: None,
    implicit_global_region: None,
};

impl RegionData {
    /// A region without description or overrides (all but one built-in region).
    const fn plain(name: &'static str) -> RegionData {
        RegionData {
            name,
            description: None,
            overrides: NO_OVERRIDES,
        }
    }

    /// A region with a description and no overrides.
    const fn described(name: &'static str, description: &'static str) -> RegionData {
        RegionData {
            name,
            description: Some(description),
            overrides: NO_OVERRIDES,
        }
    }
}

/// The data file's format version.
pub(super) const BUILTIN_VERSION: &str = "1.1";

/// Partitions in file order; the order decides which `regionRegex` wins.
pub(super) static BUILTIN_PARTITIONS: &[PartitionData] = &[
    PartitionData {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af)-\w+-\d+$",
        regions: &[
            RegionData::plain("af-south-1"),
            RegionData::plain("ap-east-1"),
            RegionData::plain("ap-northeast-1"),
            RegionData::plain("ap-northeast-2"),
            RegionData::plain("ap-northeast-3"),
            RegionData::plain("ap-south-1"),
            RegionData::plain("ap-southeast-1"),
            RegionData::plain("ap-southeast-2"),
            RegionData::plain("ap-southeast-3"),
            RegionData::plain("ca-central-1"),
            RegionData::plain("eu-central-1"),
            RegionData::plain("eu-north-1"),
            RegionData::plain("eu-south-1"),
            RegionData::plain("eu-west-1"),
            RegionData::plain("eu-west-2"),
            RegionData::plain("eu-west-3"),
            RegionData::plain("me-central-1"),
            RegionData::plain("me-south-1"),
            RegionData::plain("sa-east-1"),
            RegionData::plain("us-east-1"),
            RegionData::plain("us-east-2"),
            RegionData::plain("us-west-1"),
            RegionData::plain("us-west-2"),
            RegionData::plain("aws-global"),
        ],
        outputs: OutputsData {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("us-east-1"),
        },
    },
    PartitionData {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &[
            RegionData::plain("us-gov-west-1"),
            RegionData::plain("us-gov-east-1"),
            RegionData::plain("aws-us-gov-global"),
        ],
        outputs: OutputsData {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("us-gov-west-1"),
        },
    },
    PartitionData {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &[
            RegionData::plain("cn-north-1"),
            RegionData::plain("cn-northwest-1"),
            RegionData::plain("aws-cn-global"),
        ],
        outputs: OutputsData {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("cn-northwest-1"),
        },
    },
    PartitionData {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &[
            RegionData::plain("us-iso-east-1"),
            RegionData::plain("us-iso-west-1"),
            RegionData::plain("aws-iso-global"),
        ],
        outputs: OutputsData {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "c2s.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: Some("us-iso-east-1"),
        },
    },
    PartitionData {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &[
            RegionData::plain("us-isob-east-1"),
            RegionData::plain("aws-iso-b-global"),
        ],
        outputs: OutputsData {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "sc2s.sgov.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: Some("us-isob-east-1"),
        },
    },
    PartitionData {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &[],
        outputs: OutputsData {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "cloud.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: Some("eu-isoe-west-1"),
        },
    },
    PartitionData {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &[],
        outputs: OutputsData {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "csp.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: Some("us-isof-south-1"),
        },
    },
    PartitionData {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &[RegionData::described("eusc-de-east-1", "EU (Germany)")],
        outputs: OutputsData {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "amazonaws.eu",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: Some("eusc-de-east-1"),
        },
    },
];
