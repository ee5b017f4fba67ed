//! Seeds of target `selection_args`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "selection_args";
    let old = r#"{"InstanceId":"ins-gzci0001","InstanceName":"ci-runner-1","Placement":{"Zone":"ap-guangzhou-6"},"Tags":[{"Key":"team","Value":"ci"},{"Key":"env","Value":"test"}],"CreatedTime":"2023-11-12T00:00:00Z"}"#;
    let young = r#"{"InstanceId":"ins-gzci0002","InstanceName":"ci-runner-2","Tags":[{"Key":"team","Value":"ci"}],"CreatedTime":"2023-11-14T21:00:00+00:00"}"#;
    let bare = r#"{"InstanceId":"ins-gzci0003"}"#;
    let ci_old = "tag\tteam=ci\nolder-than\t6h";
    let texts: Vec<(&str, String)> = vec![
        ("tag-and-age", ci_old.to_owned()),
        ("tag-and-age-old", format!("{ci_old}\n--\n{old}")),
        ("tag-and-age-young", format!("{ci_old}\n--\n{young}")),
        ("tag-and-age-unknown", format!("{ci_old}\n--\n{bare}")),
        (
            "every-argument",
            format!(
                "id\tins-gzci0001\nid\tins-gzci0002\nfilter\tzone=ap-guangzhou-6,ap-guangzhou-3\ntag\tteam=ci\ntag\tteam=web\nolder-than\t1d12h\nname\tci-runner-?\nexclude-id\tins-gzci0002\nexclude-tag\tkeep\nexclude-tag\tenv=prod\nall\t\n--\n{old}"
            ),
        ),
        ("exclusions", format!("all\t\nexclude-tag\tenv=test\n--\n{old}")),
        ("exclude-tags-unread", format!("all\t\nexclude-tag\tenv\n--\n{bare}")),
        ("names", format!("all\t\nname\t*-runner-\\*\n--\n{old}")),
        ("name-star", format!("all\t\nname\t***\n--\n{bare}")),
        ("unbounded", "older-than\t6h\nexclude-id\tins-00000001".to_owned()),
        ("nothing", String::new()),
        ("all-alone", "all\t".to_owned()),
        ("ids", (0..150).map(|i| format!("id\tins-{i:08}\n")).collect()),
        ("bad-filter", "filter\tzone".to_owned()),
        ("bad-filter-name", "filter\tnope=1".to_owned()),
        ("bad-filter-empty-value", "filter\tzone=a,,b".to_owned()),
        ("bad-tag", "tag\tteam".to_owned()),
        ("bad-age", "older-than\t6".to_owned()),
        ("big-age", "older-than\t99999999999999999999w".to_owned()),
        ("bad-glob", "name\tx\\".to_owned()),
        ("bad-exclude-id", "exclude-id\tins-1".to_owned()),
        ("bad-exclude-tag", "exclude-tag\t=x".to_owned()),
        ("same-tag-twice", "tag\tteam=ci\nfilter\ttag:team=web".to_owned()),
        (
            "eleven-tags",
            (0..11).map(|i| format!("tag\tk{i}=v\n")).collect(),
        ),
        (
            "control-characters",
            "tag\tk\u{1b}[2J=v\u{9b}\nname\t\u{7}\nexclude-tag\ta\nb".to_owned(),
        ),
    ];
    texts
        .into_iter()
        .map(|(name, text)| seed(T, name, text.into_bytes()))
        .collect()
}
