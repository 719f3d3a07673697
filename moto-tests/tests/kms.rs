//! KMS (awsJson1_1) against moto: a key, a blob encrypted and decrypted byte for byte, and an
//! unknown key's modelled error.
#![cfg(reference_data)]

use moto_tests::clients::kms::operation::describe_key::DescribeKeyError;
use moto_tests::clients::kms::operation::encrypt::EncryptError;
use moto_tests::clients::kms::types::{KeyState, KeyUsageType};
use moto_tests::clients::kms::Client;
use moto_tests::MotoServer;
use smithy_runtime::Blob;

const SUITE: &str = "kms";
const UNKNOWN_KEY: &str = "00000000-1111-2222-3333-444444444444";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

/// Every byte value, so base64 and JSON escaping are both exercised.
fn plaintext() -> Vec<u8> {
    (0..=255u8).chain(b"{\"}\\\n".iter().copied()).collect()
}

#[tokio::test]
async fn a_blob_is_encrypted_and_decrypted_byte_for_byte() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let created = client
        .create_key()
        .description("moto-tests data key")
        .key_usage(KeyUsageType::EncryptDecrypt)
        .send()
        .await
        .expect("CreateKey");
    let metadata = created.key_metadata().expect("key metadata");
    assert!(metadata.enabled);
    assert_eq!(metadata.key_state(), Some(&KeyState::Enabled));
    assert_eq!(metadata.description(), Some("moto-tests data key"));
    assert!(metadata.creation_date().is_some(), "{metadata:?}");
    let key_id = metadata.key_id().to_owned();

    let described = client
        .describe_key()
        .key_id(&key_id)
        .send()
        .await
        .expect("DescribeKey");
    assert_eq!(
        described.key_metadata().map(|m| m.key_id()),
        Some(key_id.as_str())
    );

    let encrypted = client
        .encrypt()
        .key_id(&key_id)
        .plaintext(Blob::new(plaintext()))
        .encryption_context("purpose", "moto-tests")
        .send()
        .await
        .expect("Encrypt");
    let ciphertext = encrypted.ciphertext_blob().expect("a ciphertext").clone();
    assert_ne!(ciphertext.as_bytes(), plaintext().as_slice());

    let decrypted = client
        .decrypt()
        .ciphertext_blob(ciphertext)
        .encryption_context("purpose", "moto-tests")
        .send()
        .await
        .expect("Decrypt");
    assert_eq!(
        decrypted.plaintext().map(Blob::as_bytes),
        Some(plaintext().as_slice())
    );
    let decrypting_key = decrypted.key_id().expect("the key that decrypted");
    assert!(decrypting_key.ends_with(&key_id), "{decrypting_key}");
}

#[tokio::test]
async fn an_unknown_key_is_the_modelled_not_found_error() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let error = client
        .describe_key()
        .key_id(UNKNOWN_KEY)
        .send()
        .await
        .expect_err("no such key");
    assert!(
        matches!(
            error.as_service_error(),
            Some(DescribeKeyError::NotFoundException(_))
        ),
        "{error:?}"
    );
    let error = client
        .encrypt()
        .key_id(UNKNOWN_KEY)
        .plaintext(Blob::new(b"secret".to_vec()))
        .send()
        .await
        .expect_err("no such key");
    let Some(EncryptError::NotFoundException(missing)) = error.as_service_error() else {
        panic!("expected NotFoundException, got {error:?}");
    };
    assert_eq!(missing.meta().code.as_deref(), Some("NotFoundException"));
}
