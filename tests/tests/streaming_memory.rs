//! 1 GiB up and 1 GiB down through the generated `features` client (its streaming `PutObject`
//! and `GetObject`) and a real HTTP server on 127.0.0.1, in bounded memory: the process's peak
//! resident set (`VmHWM`) must stay under 64 MiB.
//!
//! Its own test binary with a single test, so that no other test's memory counts. The upload
//! is produced on the fly by an `AsyncRead` (never a 1 GiB buffer); the server checks every
//! byte that arrives, in order, against the same pattern, and produces the download chunk by
//! chunk, which the test checks the same way as it reads.

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use integration_tests::features::Client;
use smithy_runtime::ByteStream;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::TcpListener;

/// Bytes moved each way.
const SIZE: u64 = 1 << 30;

/// The peak resident set allowed for the whole process.
const PEAK_RSS_LIMIT: u64 = 64 << 20;

/// The chunk size of the server's download body.
const SERVER_CHUNK: usize = 64 * 1024;

/// The data: byte `i` of every body is `pattern()[i % pattern().len()]`. The length is a prime
/// (not a multiple of any chunk size), so a chunk lost, repeated or reordered shows up as a
/// mismatch.
fn pattern() -> &'static Bytes {
    static PATTERN: OnceLock<Bytes> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        (0..1_048_583)
            .map(|_| {
                // SplitMix64: cheap, and every byte of the block differs from its neighbours.
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                (z ^ (z >> 31)) as u8
            })
            .collect::<Vec<u8>>()
            .into()
    })
}

/// Whether `chunk` is the pattern from `offset` on (slice comparisons: `memcmp`, fast even in
/// a debug build).
fn matches_pattern(offset: u64, mut chunk: &[u8]) -> bool {
    let pattern = pattern();
    let mut position = (offset % pattern.len() as u64) as usize;
    while !chunk.is_empty() {
        let n = chunk.len().min(pattern.len() - position);
        if chunk[..n] != pattern[position..position + n] {
            return false;
        }
        chunk = &chunk[n..];
        position = 0;
    }
    true
}

/// The pattern from `offset` on, `len` bytes (at most to the end of the block).
fn pattern_slice(offset: u64, len: usize) -> Bytes {
    let pattern = pattern();
    let position = (offset % pattern.len() as u64) as usize;
    let n = len.min(pattern.len() - position);
    pattern.slice(position..position + n)
}

/// An `AsyncRead` producing `remaining` bytes of the pattern.
struct PatternReader {
    offset: u64,
    remaining: u64,
}

impl AsyncRead for PatternReader {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let want = (buf.remaining() as u64).min(this.remaining) as usize;
        let piece = pattern_slice(this.offset, want);
        buf.put_slice(&piece);
        this.offset += piece.len() as u64;
        this.remaining -= piece.len() as u64;
        Poll::Ready(Ok(()))
    }
}

/// The server's download body: `remaining` bytes of the pattern in [`SERVER_CHUNK`] chunks.
struct PatternBody {
    offset: u64,
    remaining: u64,
}

impl http_body::Body for PatternBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = (SERVER_CHUNK as u64).min(this.remaining) as usize;
        let chunk = pattern_slice(this.offset, want);
        this.offset += chunk.len() as u64;
        this.remaining -= chunk.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

type ServerBody = http_body_util::Either<PatternBody, http_body_util::Empty<Bytes>>;

/// PUT: checks the body against the pattern as it arrives and answers 201 with the count in
/// `x-count` (400 on a mismatch); GET: the pattern, `SIZE` bytes.
async fn handle(
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<ServerBody>, hyper::Error> {
    if request.method() == hyper::Method::GET {
        let body = PatternBody {
            offset: 0,
            remaining: SIZE,
        };
        return Ok(hyper::Response::builder()
            .status(200)
            .header("content-length", SIZE)
            .body(ServerBody::Left(body))
            .expect("response"));
    }
    let mut body = request.into_body();
    let mut received = 0u64;
    let mut intact = true;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            intact &= matches_pattern(received, &data);
            received += data.len() as u64;
        }
    }
    Ok(hyper::Response::builder()
        .status(if intact { 201 } else { 400 })
        .header("x-count", received)
        .body(ServerBody::Right(http_body_util::Empty::new()))
        .expect("response"))
}

/// Serves [`handle`] on 127.0.0.1 until the test ends; returns the URL.
async fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(handle))
                    .await;
            });
        }
    });
    format!("http://{address}")
}

/// `VmHWM` (peak resident set) of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .expect("VmHWM in kB");
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_gib_up_and_one_gib_down_in_bounded_memory() {
    let url = start_server().await;
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(&url)
        .region("us-east-1")
        .build()
        .expect("config");
    let client = Client::from_conf(config);

    let started = Instant::now();
    let upload = client
        .put_object()
        .bucket("bucket")
        .key("big")
        .body(ByteStream::from_reader(
            PatternReader {
                offset: 0,
                remaining: SIZE,
            },
            SIZE,
        ))
        .send()
        .await
        .expect("PutObject of 1 GiB");
    let up = started.elapsed();
    assert_eq!(
        upload.status(),
        Some(201),
        "the server saw the pattern intact"
    );
    assert_eq!(upload.count(), Some(i32::try_from(SIZE).expect("fits")));

    let started = Instant::now();
    let output = client
        .get_object()
        .bucket("bucket")
        .key("big")
        .send()
        .await
        .expect("GetObject of 1 GiB");
    let mut body = output.body.expect("a body");
    assert_eq!(body.content_length(), Some(SIZE));
    let mut received = 0u64;
    let mut largest_chunk = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("a chunk");
        assert!(matches_pattern(received, &chunk), "byte {received} on");
        received += chunk.len() as u64;
        largest_chunk = largest_chunk.max(chunk.len());
    }
    let down = started.elapsed();
    assert_eq!(received, SIZE);

    let peak = peak_rss();
    eprintln!(
        "1 GiB up in {:.2} s, 1 GiB down in {:.2} s (largest chunk read {largest_chunk} B); \
         peak RSS {:.1} MiB",
        up.as_secs_f64(),
        down.as_secs_f64(),
        peak as f64 / f64::from(1 << 20)
    );
    assert!(
        peak < PEAK_RSS_LIMIT,
        "peak RSS {peak} B is over {PEAK_RSS_LIMIT} B: a body was buffered"
    );
}
