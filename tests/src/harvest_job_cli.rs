//! The logic of the `get_harvest_job` example program, kept here so a test can run it against
//! the local server: parse `<group> <channel> <endpoint> <job>`, call GetHarvestJob, and render
//! the job or a readable error.

use mediapackagev2::operation::get_harvest_job::{GetHarvestJobError, GetHarvestJobOutput};
use mediapackagev2::{Client, Config, SdkError};

/// Usage text.
pub const USAGE: &str =
    "usage: get_harvest_job <channel-group> <channel> <origin-endpoint> <harvest-job>";

/// Runs the program with `args` (without the program name) and a client configuration.
pub async fn run(args: &[String], config: Config) -> Result<String, String> {
    let [group, channel, endpoint, job] = args else {
        return Err(USAGE.to_string());
    };
    let result = Client::from_conf(config)
        .get_harvest_job()
        .channel_group_name(group)
        .channel_name(channel)
        .origin_endpoint_name(endpoint)
        .harvest_job_name(job)
        .send()
        .await;
    result
        .map(|output| render(&output))
        .map_err(|error| explain(&error))
}

fn render(job: &GetHarvestJobOutput) -> String {
    let mut lines = vec![
        format!("harvest job {} ({})", job.harvest_job_name(), job.arn()),
        format!("  status:   {}", job.status()),
        format!("  created:  {}", job.created_at()),
    ];
    if let Some(schedule) = job.schedule_configuration() {
        lines.push(format!(
            "  window:   {} .. {}",
            schedule.start_time(),
            schedule.end_time()
        ));
    }
    if let Some(s3) = job.destination().and_then(|d| d.s3_destination()) {
        lines.push(format!(
            "  to:       s3://{}/{}",
            s3.bucket_name(),
            s3.destination_path()
        ));
    }
    if let Some(message) = job.error_message() {
        lines.push(format!("  error:    {message}"));
    }
    lines.join("\n")
}

fn explain(error: &SdkError<GetHarvestJobError>) -> String {
    match error {
        SdkError::Service(GetHarvestJobError::ResourceNotFoundException(e)) => {
            format!(
                "not found: {}",
                e.message().unwrap_or("no such harvest job")
            )
        }
        SdkError::Service(GetHarvestJobError::AccessDeniedException(e)) => {
            format!(
                "access denied: {}",
                e.message().unwrap_or("check your credentials and policy")
            )
        }
        other => format!("GetHarvestJob failed: {other}"),
    }
}
