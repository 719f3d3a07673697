//! DynamoDB GetItem: our client generated for the whole service, and `aws-sdk-dynamodb`. Both
//! count the attribute values of the returned item and fail unless the count is the server's
//! [`bench_server::GET_ITEM_VALUES`], so neither can skip parsing it.

use super::{AnyClient, Which};

/// The table and key every GetItem asks for (the server answers the same item whatever they are).
const TABLE: &str = "Orders";
const PARTITION_KEY: (&str, &str) = ("pk", "CUSTOMER#c-000123");
const SORT_KEY: (&str, &str) = ("sk", "ORDER#2026-11-30#o-98765");

/// The client of the given kind for `endpoint`.
pub fn client(which: Which, endpoint: &str) -> Result<AnyClient, String> {
    Ok(match which {
        Which::Ours => AnyClient::from_fn(ours(endpoint)?, call_ours),
        Which::Sdk => AnyClient::from_fn(sdk(endpoint), call_sdk),
    })
}

/// Our client for `endpoint`.
pub fn ours(endpoint: &str) -> Result<dynamodb::Client, String> {
    Ok(dynamodb::Client::from_conf(super::ours_config(endpoint)?))
}

/// The SDK's client for `endpoint`. Endpoint discovery is off by default in `aws-sdk-dynamodb`,
/// so the SDK, like ours, sends every call straight to `endpoint`.
pub fn sdk(endpoint: &str) -> aws_sdk_dynamodb::Client {
    super::sdk_client!(aws_sdk_dynamodb, endpoint)
}

/// Defines `$name`, counting a value of the `AttributeValue` type `$value` as the server's
/// [`bench_server::GET_ITEM_VALUES`] does: 1, plus the members of a set, plus the values nested in
/// a map or list. A macro because ours and the SDK's are different types with the same variants.
macro_rules! value_counter {
    ($name:ident, $value:path) => {
        fn $name(value: &$value) -> usize {
            use $value as V;
            1 + match value {
                V::Ss(members) | V::Ns(members) => members.len(),
                V::Bs(members) => members.len(),
                V::M(map) => map.values().map($name).sum(),
                V::L(list) => list.iter().map($name).sum(),
                _ => 0,
            }
        }
    };
}

value_counter!(count_ours, dynamodb::types::AttributeValue);
value_counter!(count_sdk, aws_sdk_dynamodb::types::AttributeValue);

/// The item's value count, or an error unless it is the expected one.
fn checked(values: usize) -> Result<usize, String> {
    if values == bench_server::GET_ITEM_VALUES {
        Ok(values)
    } else {
        Err(format!(
            "GetItem: {values} attribute values parsed, expected {}",
            bench_server::GET_ITEM_VALUES
        ))
    }
}

/// GetItem with our client; resolves to the item's value count.
pub async fn call_ours(client: dynamodb::Client) -> Result<usize, String> {
    use dynamodb::types::AttributeValue;
    let output = client
        .get_item()
        .table_name(TABLE)
        .key(PARTITION_KEY.0, AttributeValue::S(PARTITION_KEY.1.into()))
        .key(SORT_KEY.0, AttributeValue::S(SORT_KEY.1.into()))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let item = output.item().ok_or("GetItem: no item")?;
    checked(item.values().map(count_ours).sum())
}

/// GetItem with the SDK's client; resolves to the item's value count.
pub async fn call_sdk(client: aws_sdk_dynamodb::Client) -> Result<usize, String> {
    use aws_sdk_dynamodb::types::AttributeValue;
    let output = client
        .get_item()
        .table_name(TABLE)
        .key(PARTITION_KEY.0, AttributeValue::S(PARTITION_KEY.1.into()))
        .key(SORT_KEY.0, AttributeValue::S(SORT_KEY.1.into()))
        .send()
        .await
        .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(&e).to_string())?;
    let item = output.item().ok_or("GetItem: no item")?;
    checked(item.values().map(count_sdk).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::Service;

    /// Both clients of both services against one server: the routes answer the right bodies and
    /// the counts are checked.
    #[tokio::test(flavor = "multi_thread")]
    async fn every_client_parses_its_response() {
        let url = bench_server::spawn_in_background(bench_server::Bodies::new(2));
        for which in [Which::Ours, Which::Sdk] {
            let client = AnyClient::new(Service::DynamoDb, which, &url).expect("client");
            assert_eq!(client.call().await, Ok(bench_server::GET_ITEM_VALUES));
            let client = AnyClient::new(Service::MediaPackageV2, which, &url).expect("client");
            assert_eq!(client.call().await, Ok(2));
        }
    }
}
