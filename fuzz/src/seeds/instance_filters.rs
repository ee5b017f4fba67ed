//! Seeds of target `instance_filters`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "instance_filters";
    let instance = r#"{"InstanceId":"ins-00000001","InstanceName":"ci-runner","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR","Placement":{"Zone":"ap-guangzhou-3","ProjectId":0,"HostId":"host-0123abcd"},"Tags":[{"Key":"team","Value":"ci"}],"CreatedTime":"2023-06-01T12:00:00Z","PrivateIpAddresses":["10.0.0.1"],"PublicIpAddresses":["203.0.113.9"],"IPv6Addresses":["2001:db8::1"],"VirtualPrivateCloud":{"VpcId":"vpc-1yg5ua6l","SubnetId":"subnet-iw7bhwsh"},"Uuid":"68b510db-b4c1-4630-a62b-73d0c7c970f9","SecurityGroupIds":["sg-8jlk3f3r"],"DedicatedClusterId":"cluster-abc"}"#;
    let first_ten = "zone\tap-guangzhou-3\tap-guangzhou-4\nproject-id\t0\nhost-id\thost-0123abcd\ndedicated-cluster-id\tcluster-abc\nvpc-id\tvpc-1yg5ua6l\nsubnet-id\tsubnet-iw7bhwsh\ninstance-id\tins-00000001\nuuid\t68b510db-b4c1-4630-a62b-73d0c7c970f9\nsecurity-group-id\tsg-8jlk3f3r\ninstance-name\tci";
    let other_ten = "instance-charge-type\tPOSTPAID_BY_HOUR\tPREPAID\ninstance-state\tRUNNING\nprivate-ip-address\t10.0.0.1\npublic-ip-address\t203.0.113.9\nipv6-address\t2001:db8::1\ntag-key\tteam\ntag-value\tci\ntag:team\tci\tweb\ncreation-start-time\t2023-05-01 00:00:00\ncreation-end-time\t2023-07-01 00:00:00";
    let texts: Vec<(&str, String)> = vec![
        ("tag-team", "tag:team\tci".to_owned()),
        (
            "tag-team-with-instance",
            format!("tag:team\tci\n--\n{instance}"),
        ),
        ("first-ten-names", first_ten.to_owned()),
        (
            "first-ten-with-instance",
            format!("{first_ten}\n--\n{instance}"),
        ),
        ("other-ten-names", other_ten.to_owned()),
        (
            "other-ten-with-instance",
            format!("{other_ten}\n--\n{instance}"),
        ),
        (
            "contradicted",
            format!("tag:team\tweb\nzone\tap-guangzhou-4\n--\n{instance}"),
        ),
        ("empty", String::new()),
        ("unknown-name", "instance-type\tS5.MEDIUM2".to_owned()),
        ("tag-without-key", "tag:\tci".to_owned()),
        ("no-values", "zone".to_owned()),
        ("six-values", "tag-key\ta\tb\tc\td\te\tf".to_owned()),
        (
            "two-times",
            "creation-start-time\t2023-06-01 00:00:00\t2023-06-02 00:00:00".to_owned(),
        ),
        (
            "eleven-filters",
            (0..11)
                .map(|i| format!("tag:k{i}\tv"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "duplicate-name",
            "zone\tap-guangzhou-3\nzone\tap-guangzhou-4".to_owned(),
        ),
        (
            "duplicate-value",
            "zone\tap-guangzhou-3\tap-guangzhou-3".to_owned(),
        ),
        (
            "times-reversed",
            "creation-start-time\t2023-06-02 00:00:00\ncreation-end-time\t2023-06-01 00:00:00"
                .to_owned(),
        ),
        (
            "bad-time",
            "creation-end-time\t2023-06-01T00:00:00Z".to_owned(),
        ),
        ("bad-vpc", "vpc-id\tvpc-123".to_owned()),
        ("bad-state", "instance-state\trunning".to_owned()),
        (
            "bad-charge-type",
            "instance-charge-type\tUNDERWRITE".to_owned(),
        ),
        ("bad-ip", "private-ip-address\t10.0.0.256".to_owned()),
        ("bad-uuid", "uuid\t68b510db".to_owned()),
        (
            "control-characters",
            "tag:\u{1b}[31m\tci\u{9b}\nzone\t\u{7}".to_owned(),
        ),
    ];
    texts
        .into_iter()
        .map(|(name, text)| seed(T, name, text.into_bytes()))
        .collect()
}
