//! Applies a rules-language function to evaluated arguments: the type checks shared by all
//! functions, then a hand-off to [`super::stdlib`], [`super::aws`] or the partition table.

use super::aws;
use super::model::Function;
use super::partition::PartitionTable;
use super::stdlib;
use super::value::Val;

impl Function {
    /// The function's name in rule-set JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::GetAttr(_) => "getAttr",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Coalesce => "coalesce",
            Function::Ite => "ite",
            Function::Split => "split",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// Applies `function` to `args` (`None` = absent). Absent results make a condition fail; an
/// `Err` is a type error in the rule set, reported instead of guessed around.
pub(crate) fn apply(
    function: &Function,
    args: Vec<Option<Val>>,
    partitions: &PartitionTable,
) -> Result<Option<Val>, String> {
    match function {
        Function::IsSet => match args.as_slice() {
            [value] => Ok(Some(Val::Bool(value.is_some()))),
            _ => Err(arity_error(function, &args)),
        },
        Function::Coalesce => Ok(args.into_iter().flatten().next()),
        Function::Ite => ite(function, args),
        // Every other function propagates absence: with an unset input there is nothing to
        // compute, and the condition simply does not hold.
        _ => match args.into_iter().collect::<Option<Vec<Val>>>() {
            Some(values) => apply_present(function, &values, partitions),
            None => Ok(None),
        },
    }
}

fn ite(function: &Function, args: Vec<Option<Val>>) -> Result<Option<Val>, String> {
    let mut args = args.into_iter();
    match (args.next(), args.next(), args.next(), args.next()) {
        (Some(Some(Val::Bool(condition))), Some(then), Some(otherwise), None) => {
            Ok(if condition { then } else { otherwise })
        }
        (Some(None), Some(_), Some(_), None) => Ok(None),
        _ => Err(format!(
            "`{}` takes (boolean, value, value)",
            function.name()
        )),
    }
}

fn apply_present(
    function: &Function,
    args: &[Val],
    partitions: &PartitionTable,
) -> Result<Option<Val>, String> {
    use Val::{Bool, Int, Str};
    let result = match (function, args) {
        (Function::Not, [Bool(b)]) => Bool(!b),
        (Function::BooleanEquals, [Bool(a), Bool(b)]) => Bool(a == b),
        (Function::StringEquals, [Str(a), Str(b)]) => Bool(a == b),
        (Function::GetAttr(path), [value]) => return Ok(path.get(value).cloned()),
        (Function::Substring, [Str(input), Int(start), Int(stop), Bool(reverse)]) => {
            return Ok(stdlib::substring(input, *start, *stop, *reverse).map(Str));
        }
        (Function::UriEncode, [Str(value)]) => Str(stdlib::uri_encode(value)),
        (Function::ParseUrl, [Str(url)]) => return Ok(stdlib::parse_url(url)),
        (Function::IsValidHostLabel, [Str(value), Bool(sub)]) => {
            Bool(stdlib::is_valid_host_label(value, *sub))
        }
        (Function::Split, [Str(value), Str(delimiter), Int(limit)]) => {
            return Ok(stdlib::split(value, delimiter, *limit))
        }
        (Function::AwsPartition, [Str(region)]) => {
            return Ok(partitions.lookup(region).map(|p| p.to_val()))
        }
        (Function::AwsParseArn, [Str(arn)]) => return Ok(aws::parse_arn(arn)),
        (Function::AwsIsVirtualHostableS3Bucket, [Str(value), Bool(sub)]) => {
            Bool(aws::is_virtual_hostable_s3_bucket(value, *sub))
        }
        _ => return Err(type_error(function, args)),
    };
    Ok(Some(result))
}

fn arity_error(function: &Function, args: &[Option<Val>]) -> String {
    format!("`{}` called with {} arguments", function.name(), args.len())
}

fn type_error(function: &Function, args: &[Val]) -> String {
    let types: Vec<&str> = args.iter().map(Val::type_name).collect();
    format!(
        "`{}` cannot be applied to ({})",
        function.name(),
        types.join(", ")
    )
}
