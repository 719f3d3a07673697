//! Without the reference data no client is generated and no moto test is compiled
//! (`cfg(reference_data)` unset): this says so in one line on stderr. (Without `moto_server`,
//! each compiled test binary prints its own line; see `MotoServer::start`.)

#[cfg(not(reference_data))]
#[test]
fn without_the_reference_data_the_moto_tests_say_they_did_not_run() {
    let line = reference_data::skip_line(
        "moto-tests",
        "behaviour tests of the DynamoDB, SQS, KMS, Secrets Manager, CloudWatch Logs, S3, SSM, \
         STS, IAM, SNS, CloudWatch and CloudFormation clients against moto, and S3 Express \
         against our own directory-bucket server (the EC2 tests, on \
         our own model, still run)",
        "models/aws",
    );
    use std::io::Write;
    writeln!(std::io::stderr().lock(), "{line}").expect("stderr is writable");
}
