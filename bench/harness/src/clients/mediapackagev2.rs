//! MediaPackage v2 GetHarvestJob: our client generated for GetHarvestJob only, and
//! `aws-sdk-mediapackagev2`.

use super::{AnyClient, Which};

/// The client of the given kind for `endpoint`.
pub fn client(which: Which, endpoint: &str) -> Result<AnyClient, String> {
    Ok(match which {
        Which::Ours => AnyClient::from_fn(ours(endpoint)?, call_ours),
        Which::Sdk => AnyClient::from_fn(sdk(endpoint), call_sdk),
    })
}

/// Our client for `endpoint`.
pub fn ours(endpoint: &str) -> Result<mediapackagev2::Client, String> {
    Ok(mediapackagev2::Client::from_conf(super::ours_config(
        endpoint,
    )?))
}

/// The SDK's client for `endpoint`.
pub fn sdk(endpoint: &str) -> aws_sdk_mediapackagev2::Client {
    super::sdk_client!(aws_sdk_mediapackagev2, endpoint)
}

/// GetHarvestJob with our client; resolves to the number of tags in the response.
pub async fn call_ours(client: mediapackagev2::Client) -> Result<usize, String> {
    let output = client
        .get_harvest_job()
        .channel_group_name("exampleChannelGroup")
        .channel_name("exampleChannelName")
        .origin_endpoint_name("exampleOriginEndpointName")
        .harvest_job_name("HarvestJobName")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(output.tags().map_or(0, |tags| tags.len()))
}

/// GetHarvestJob with the SDK's client; resolves to the number of tags in the response.
pub async fn call_sdk(client: aws_sdk_mediapackagev2::Client) -> Result<usize, String> {
    let output = client
        .get_harvest_job()
        .channel_group_name("exampleChannelGroup")
        .channel_name("exampleChannelName")
        .origin_endpoint_name("exampleOriginEndpointName")
        .harvest_job_name("HarvestJobName")
        .send()
        .await
        .map_err(|e| aws_sdk_mediapackagev2::error::DisplayErrorContext(&e).to_string())?;
    Ok(output.tags().map_or(0, |tags| tags.len()))
}
