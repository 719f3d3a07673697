//! The partition table behind `aws.partition`: types, region lookup, and loading a
//! replacement table from `partitions.json` text.
//!
//! The built-in data lives in [`super::partitions`]; callers whose SDK needs newer regions or
//! partitions can load their own file with [`PartitionTable::from_json`] and pass it to
//! [`super::Resolver::with_partitions`], without waiting for a new runtime release.

use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Value as Json};

use super::partitions::{
    OutputsData, PartitionData, RegionData, BUILTIN_PARTITIONS, BUILTIN_VERSION,
};
use super::regex::Regex;
use super::value::Val;

/// A set of partitions, searched in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionTable {
    /// The data file's `version` (`"1.1"` for the built-in table).
    pub version: Option<String>,
    /// Partitions in file order; the order decides which `regionRegex` wins.
    pub partitions: Vec<Partition>,
}

/// One partition (`aws`, `aws-cn`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Partition id.
    pub id: String,
    /// Pattern for region names of this partition that are not listed in `regions`.
    pub region_regex: Regex,
    /// Known regions in file order, with their per-region overrides.
    pub regions: Vec<Region>,
    /// What `aws.partition` returns for regions of this partition.
    pub outputs: PartitionOutputs,
}

/// A region listed in a partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Region name, e.g. `us-east-1`.
    pub name: String,
    /// Human-readable description, if the data has one.
    pub description: Option<String>,
    /// Output values that differ from the partition's for this region.
    pub overrides: OutputOverrides,
}

/// The values `aws.partition` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// Partition name, e.g. `aws-us-gov`.
    pub name: String,
    /// DNS suffix, e.g. `amazonaws.com`.
    pub dns_suffix: String,
    /// Dual-stack DNS suffix, e.g. `api.aws`.
    pub dual_stack_dns_suffix: String,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// Region that global endpoints of this partition sign for.
    pub implicit_global_region: Option<String>,
}

/// Per-region replacements for [`PartitionOutputs`] fields; `None` keeps the partition's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOverrides {
    /// Replaces `name`.
    pub name: Option<String>,
    /// Replaces `dnsSuffix`.
    pub dns_suffix: Option<String>,
    /// Replaces `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: Option<String>,
    /// Replaces `supportsFIPS`.
    pub supports_fips: Option<bool>,
    /// Replaces `supportsDualStack`.
    pub supports_dual_stack: Option<bool>,
    /// Replaces `implicitGlobalRegion`.
    pub implicit_global_region: Option<String>,
}

/// Why partition data could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionError {
    /// Where in the document, e.g. `partitions[2].outputs.dnsSuffix`.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for PartitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid partition data at `{}`: {}",
            self.location, self.message
        )
    }
}

impl std::error::Error for PartitionError {}

impl PartitionTable {
    /// The table compiled into this crate, matching the data the AWS model corpus's endpoint
    /// tests were generated with. Built on first use and shared afterwards.
    pub fn builtin() -> &'static PartitionTable {
        static TABLE: OnceLock<PartitionTable> = OnceLock::new();
        TABLE.get_or_init(|| PartitionTable {
            version: Some(BUILTIN_VERSION.to_owned()),
            partitions: BUILTIN_PARTITIONS
                .iter()
                .map(Partition::from_data)
                .collect(),
        })
    }

    /// Loads a table from `partitions.json` text (`{version, partitions: [...]}`).
    pub fn from_json(text: &str) -> Result<PartitionTable, PartitionError> {
        let json: Json =
            serde_json::from_str(text).map_err(|e| error("", format!("malformed JSON: {e}")))?;
        let root = object(&json, "")?;
        let version = root
            .get("version")
            .map(|v| string(v, "version"))
            .transpose()?;
        let partitions = root
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| error("partitions", "expected an array"))?
            .iter()
            .enumerate()
            .map(|(i, p)| parse_partition(p, &format!("partitions[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(PartitionTable {
            version,
            partitions,
        })
    }

    /// What `aws.partition(region)` returns: the partition listing `region` exactly (with that
    /// region's overrides applied), else the first whose `regionRegex` matches, else `aws`.
    pub fn lookup(&self, region: &str) -> Option<PartitionOutputs> {
        let listed = self.partitions.iter().find_map(|p| {
            let region = p.regions.iter().find(|r| r.name == region)?;
            Some(p.outputs.with_overrides(&region.overrides))
        });
        listed.or_else(|| {
            self.partitions
                .iter()
                .find(|p| p.region_regex.is_match(region))
                .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))
                .map(|p| p.outputs.clone())
        })
    }
}

impl PartitionOutputs {
    fn with_overrides(&self, overrides: &OutputOverrides) -> PartitionOutputs {
        let pick = |o: &Option<String>, base: &String| o.clone().unwrap_or_else(|| base.clone());
        PartitionOutputs {
            name: pick(&overrides.name, &self.name),
            dns_suffix: pick(&overrides.dns_suffix, &self.dns_suffix),
            dual_stack_dns_suffix: pick(
                &overrides.dual_stack_dns_suffix,
                &self.dual_stack_dns_suffix,
            ),
            supports_fips: overrides.supports_fips.unwrap_or(self.supports_fips),
            supports_dual_stack: overrides
                .supports_dual_stack
                .unwrap_or(self.supports_dual_stack),
            implicit_global_region: overrides
                .implicit_global_region
                .clone()
                .or_else(|| self.implicit_global_region.clone()),
        }
    }

    /// The record the rules see, with the field names of the rules language.
    pub(crate) fn to_val(&self) -> Val {
        let mut fields = vec![
            ("name".to_owned(), Val::Str(self.name.clone())),
            ("dnsSuffix".to_owned(), Val::Str(self.dns_suffix.clone())),
            (
                "dualStackDnsSuffix".to_owned(),
                Val::Str(self.dual_stack_dns_suffix.clone()),
            ),
            ("supportsFIPS".to_owned(), Val::Bool(self.supports_fips)),
            (
                "supportsDualStack".to_owned(),
                Val::Bool(self.supports_dual_stack),
            ),
        ];
        if let Some(region) = &self.implicit_global_region {
            fields.push(("implicitGlobalRegion".to_owned(), Val::Str(region.clone())));
        }
        Val::Object(fields)
    }
}

impl Partition {
    fn from_data(data: &PartitionData) -> Partition {
        Partition {
            id: data.id.to_owned(),
            // Built-in patterns are covered by a unit test; should one ever fail to compile, a
            // pattern that matches nothing keeps lookups working through exact region names.
            region_regex: Regex::new(data.region_regex)
                .unwrap_or_else(|_| Regex::never(data.region_regex)),
            regions: data.regions.iter().map(Region::from_data).collect(),
            outputs: outputs_from_data(&data.outputs),
        }
    }
}

impl Region {
    fn from_data(data: &RegionData) -> Region {
        let o = &data.overrides;
        Region {
            name: data.name.to_owned(),
            description: data.description.map(str::to_owned),
            overrides: OutputOverrides {
                name: o.name.map(str::to_owned),
                dns_suffix: o.dns_suffix.map(str::to_owned),
                dual_stack_dns_suffix: o.dual_stack_dns_suffix.map(str::to_owned),
                supports_fips: o.supports_fips,
                supports_dual_stack: o.supports_dual_stack,
                implicit_global_region: o.implicit_global_region.map(str::to_owned),
            },
        }
    }
}

fn outputs_from_data(data: &OutputsData) -> PartitionOutputs {
    PartitionOutputs {
        name: data.name.to_owned(),
        dns_suffix: data.dns_suffix.to_owned(),
        dual_stack_dns_suffix: data.dual_stack_dns_suffix.to_owned(),
        supports_fips: data.supports_fips,
        supports_dual_stack: data.supports_dual_stack,
        implicit_global_region: data.implicit_global_region.map(str::to_owned),
    }
}

fn error(location: &str, message: impl Into<String>) -> PartitionError {
    PartitionError {
        location: location.to_owned(),
        message: message.into(),
    }
}

fn object<'j>(json: &'j Json, location: &str) -> Result<&'j Map<String, Json>, PartitionError> {
    json.as_object()
        .ok_or_else(|| error(location, "expected an object"))
}

fn string(json: &Json, location: &str) -> Result<String, PartitionError> {
    json.as_str()
        .map(str::to_owned)
        .ok_or_else(|| error(location, "expected a string"))
}

fn boolean(json: &Json, location: &str) -> Result<bool, PartitionError> {
    json.as_bool()
        .ok_or_else(|| error(location, "expected a boolean"))
}

fn required<'j>(
    map: &'j Map<String, Json>,
    key: &str,
    location: &str,
) -> Result<&'j Json, PartitionError> {
    map.get(key)
        .ok_or_else(|| error(location, format!("missing `{key}`")))
}

fn parse_partition(json: &Json, location: &str) -> Result<Partition, PartitionError> {
    let map = object(json, location)?;
    let id = string(required(map, "id", location)?, &format!("{location}.id"))?;
    let regex_location = format!("{location}.regionRegex");
    let pattern = string(required(map, "regionRegex", location)?, &regex_location)?;
    let region_regex = Regex::new(&pattern).map_err(|e| error(&regex_location, e.to_string()))?;
    let regions_location = format!("{location}.regions");
    let regions = match map.get("regions") {
        Some(regions) => object(regions, &regions_location)?
            .iter()
            .map(|(name, r)| parse_region(name, r, &format!("{regions_location}.{name}")))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let outputs_location = format!("{location}.outputs");
    let outputs = parse_outputs(required(map, "outputs", location)?, &outputs_location)?;
    Ok(Partition {
        id,
        region_regex,
        regions,
        outputs,
    })
}

fn parse_region(name: &str, json: &Json, location: &str) -> Result<Region, PartitionError> {
    let map = object(json, location)?;
    let description = map
        .get("description")
        .map(|d| string(d, &format!("{location}.description")))
        .transpose()?;
    Ok(Region {
        name: name.to_owned(),
        description,
        overrides: parse_overrides(map, location)?,
    })
}

fn parse_overrides(
    map: &Map<String, Json>,
    location: &str,
) -> Result<OutputOverrides, PartitionError> {
    let text = |key: &str| {
        map.get(key)
            .map(|v| string(v, &format!("{location}.{key}")))
            .transpose()
    };
    let flag = |key: &str| {
        map.get(key)
            .map(|v| boolean(v, &format!("{location}.{key}")))
            .transpose()
    };
    Ok(OutputOverrides {
        name: text("name")?,
        dns_suffix: text("dnsSuffix")?,
        dual_stack_dns_suffix: text("dualStackDnsSuffix")?,
        supports_fips: flag("supportsFIPS")?,
        supports_dual_stack: flag("supportsDualStack")?,
        implicit_global_region: text("implicitGlobalRegion")?,
    })
}

fn parse_outputs(json: &Json, location: &str) -> Result<PartitionOutputs, PartitionError> {
    let map = object(json, location)?;
    let overrides = parse_overrides(map, location)?;
    let missing = |key: &str| error(location, format!("missing `{key}`"));
    Ok(PartitionOutputs {
        name: overrides.name.ok_or_else(|| missing("name"))?,
        dns_suffix: overrides.dns_suffix.ok_or_else(|| missing("dnsSuffix"))?,
        dual_stack_dns_suffix: overrides
            .dual_stack_dns_suffix
            .ok_or_else(|| missing("dualStackDnsSuffix"))?,
        supports_fips: overrides
            .supports_fips
            .ok_or_else(|| missing("supportsFIPS"))?,
        supports_dual_stack: overrides
            .supports_dual_stack
            .ok_or_else(|| missing("supportsDualStack"))?,
        implicit_global_region: overrides.implicit_global_region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile() {
        for data in BUILTIN_PARTITIONS {
            assert!(
                Regex::new(data.region_regex).is_ok(),
                "{}",
                data.region_regex
            );
        }
    }

    #[test]
    fn lookup_order() {
        let table = PartitionTable::builtin();
        let name = |region: &str| table.lookup(region).map(|o| o.name);
        assert_eq!(name("us-east-1").as_deref(), Some("aws"));
        assert_eq!(name("us-gov-west-1").as_deref(), Some("aws-us-gov"));
        assert_eq!(name("us-gov-nowhere-9").as_deref(), Some("aws-us-gov"));
        assert_eq!(name("aws-cn-global").as_deref(), Some("aws-cn"));
        assert_eq!(name("mars-east-1").as_deref(), Some("aws"));
    }

    #[test]
    fn rejects_bad_json() {
        assert!(PartitionTable::from_json("[").is_err());
        assert!(PartitionTable::from_json("{}").is_err());
        let bad_regex = r#"{"partitions":[{"id":"x","regionRegex":"(","outputs":{}}]}"#;
        let err = PartitionTable::from_json(bad_regex).unwrap_err();
        assert_eq!(err.location, "partitions[0].regionRegex");
    }
}
