//! CloudWatch (awsQuery) against moto: metric data with dimensions, put twice (once small,
//! once large enough to be gzip-compressed by `@requestCompression`), read back as statistics
//! and listed.
#![cfg(reference_data)]

use moto_tests::clients::cloudwatch::types::{
    Dimension, DimensionFilter, MetricDatum, StandardUnit, Statistic,
};
use moto_tests::clients::cloudwatch::Client;
use moto_tests::MotoServer;
use smithy_runtime::DateTime;

const SUITE: &str = "cloudwatch";
const NAMESPACE: &str = "MotoTests/Orders";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

fn dimension(name: &str, value: &str) -> Dimension {
    Dimension::builder().name(name).value(value).build()
}

fn datum(name: &str, shop: &str, value: f64, at: DateTime) -> MetricDatum {
    MetricDatum::builder()
        .metric_name(name)
        .dimensions(dimension("Shop", shop))
        .dimensions(dimension("Stage", "prod"))
        .value(value)
        .unit(StandardUnit::Count)
        .timestamp(at)
        .build()
}

#[tokio::test]
async fn metrics_are_put_read_as_statistics_and_listed() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let now = DateTime::from_secs(DateTime::now().secs());
    let earlier = DateTime::from_secs(now.secs() - 30);
    client
        .put_metric_data()
        .namespace(NAMESPACE)
        .metric_data(datum("Placed", "north", 3.0, earlier))
        .metric_data(datum("Placed", "north", 4.5, now))
        .send()
        .await
        .expect("PutMetricData");

    // 200 data of other metrics: a body of tens of KiB, over the 10 KiB threshold above which
    // the client gzips it (`Content-Encoding: gzip`), which moto decompresses.
    let mut large = client.put_metric_data().namespace(NAMESPACE);
    for n in 0..200 {
        large = large.metric_data(datum(&format!("Latency{n:03}"), "south", f64::from(n), now));
    }
    large.send().await.expect("PutMetricData (compressed)");

    let statistics = client
        .get_metric_statistics()
        .namespace(NAMESPACE)
        .metric_name("Placed")
        .dimensions(dimension("Shop", "north"))
        .dimensions(dimension("Stage", "prod"))
        .start_time(DateTime::from_secs(now.secs() - 600))
        .end_time(DateTime::from_secs(now.secs() + 600))
        .period(3600)
        .statistics(Statistic::Sum)
        .statistics(Statistic::Maximum)
        .statistics(Statistic::SampleCount)
        .send()
        .await
        .expect("GetMetricStatistics");
    assert_eq!(statistics.label(), Some("Placed"));
    let points = statistics.datapoints();
    assert_eq!(points.len(), 1, "{points:?}");
    assert_eq!(points[0].sum(), Some(7.5));
    assert_eq!(points[0].maximum(), Some(4.5));
    assert_eq!(points[0].sample_count(), Some(2.0));
    assert_eq!(points[0].unit(), Some(&StandardUnit::Count));

    let listed = client
        .list_metrics()
        .namespace(NAMESPACE)
        .dimensions(
            DimensionFilter::builder()
                .name("Shop")
                .value("south")
                .build(),
        )
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListMetrics pages");
    let mut names: Vec<&str> = listed
        .iter()
        .flat_map(|page| page.metrics())
        .filter_map(|m| m.metric_name())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 200, "every compressed datum arrived");
    assert_eq!(names[0], "Latency000");
    assert_eq!(names[199], "Latency199");
}
