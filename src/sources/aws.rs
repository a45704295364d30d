//! The AWS readers: EC2 (running instances' IPs, Elastic IPs), ACM (issued certificates'
//! ARNs), EFS (file system ids), EKS (cluster endpoint and CA data). Read-only calls
//! (`Describe*`, `List*`), signed with the one credential snapshot of
//! [`crate::iam::connect_sdk`]; the SDK's standard retries cover throttling.

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, Tag};

use super::{natural_key, order_key, Hint, Reader, SourceError, SourceKind, SourceValue};
use crate::iam::{AwsOptions, Connected};

/// The AWS reader: connects on its first read, then keeps the clients.
pub(super) struct Aws {
    opts: AwsOptions,
    conn: Option<Result<(tokio::runtime::Runtime, Clients), SourceError>>,
}

/// The clients of one fetch, on one credential snapshot.
struct Clients {
    region: String,
    ec2: aws_sdk_ec2::Client,
    acm: aws_sdk_acm::Client,
    efs: aws_sdk_efs::Client,
    eks: aws_sdk_eks::Client,
}

impl Clients {
    fn of(c: Connected) -> Clients {
        let creds = c.creds;
        Clients {
            ec2: aws_sdk_ec2::Client::from_conf(
                aws_sdk_ec2::config::Builder::from(&c.sdk)
                    .credentials_provider(creds.clone())
                    .build(),
            ),
            acm: aws_sdk_acm::Client::from_conf(
                aws_sdk_acm::config::Builder::from(&c.sdk)
                    .credentials_provider(creds.clone())
                    .build(),
            ),
            efs: aws_sdk_efs::Client::from_conf(
                aws_sdk_efs::config::Builder::from(&c.sdk)
                    .credentials_provider(creds.clone())
                    .build(),
            ),
            eks: aws_sdk_eks::Client::from_conf(
                aws_sdk_eks::config::Builder::from(&c.sdk)
                    .credentials_provider(creds)
                    .build(),
            ),
            region: c.region,
        }
    }
}

impl Aws {
    pub(super) fn new(opts: AwsOptions) -> Aws {
        Aws { opts, conn: None }
    }

    fn connected(&mut self) -> Result<&(tokio::runtime::Runtime, Clients), SourceError> {
        if self.conn.is_none() {
            let opts = self.opts.clone();
            let made = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| SourceError::Failed {
                    service: "aws",
                    reason: e.to_string(),
                })
                .and_then(|rt| {
                    let c = rt.block_on(crate::iam::connect_sdk(&opts))?;
                    Ok((rt, Clients::of(c)))
                });
            self.conn = Some(made);
        }
        match self.conn.as_ref() {
            Some(Ok(c)) => Ok(c),
            Some(Err(e)) => Err(e.clone()),
            None => unreachable!("set above"),
        }
    }
}

/// An SDK error as one line: a missing permission named, throttling said, the rest briefly.
fn sdk_error<E, R>(
    service: &'static str,
    permission: &'static str,
    e: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = e.code().unwrap_or_default().to_string();
    match code.as_str() {
        "UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException" => SourceError::Denied {
            service,
            permission,
        },
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException" => SourceError::Throttled { service },
        "AuthFailure"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch" => SourceError::Aws(crate::t!("source-bad-credentials")),
        "" => SourceError::Failed {
            service,
            reason: aws_sdk_ec2::error::DisplayErrorContext(&e)
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        },
        _ => SourceError::Failed {
            service,
            reason: format!("{code}: {}", e.message().unwrap_or_default()),
        },
    }
}

fn name_tag(tags: &[Tag]) -> String {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| t.value())
        .unwrap_or_default()
        .to_string()
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> String {
    t.map(|d| {
        jiff::Timestamp::from_second(d.secs())
            .map(|ts| ts.to_string())
            .unwrap_or_default()
    })
    .unwrap_or_default()
}

fn label(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

impl Reader for Aws {
    fn reads(&self, kind: SourceKind) -> bool {
        kind.is_aws()
    }

    fn region(&self) -> Option<String> {
        match &self.conn {
            Some(Ok((_, c))) => Some(c.region.clone()),
            _ => None,
        }
    }

    fn read(&mut self, kind: SourceKind, hint: &Hint) -> Result<Vec<SourceValue>, SourceError> {
        let (rt, c) = self.connected()?;
        let region = Some(c.region.clone());
        let cand =
            |service: &'static str, value: &str, resource: &str, label: String, order: String| {
                SourceValue {
                    value: value.to_string(),
                    resource: resource.to_string(),
                    label,
                    service,
                    region: region.clone(),
                    order,
                }
            };
        match kind {
            SourceKind::InstancePublicIp | SourceKind::InstancePrivateIp => {
                let ec2 = &c.ec2;
                let mut out = Vec::new();
                let mut token = None;
                loop {
                    let page = rt
                        .block_on(
                            ec2.describe_instances()
                                .filters(
                                    Filter::builder()
                                        .name("instance-state-name")
                                        .values("running")
                                        .build(),
                                )
                                .set_next_token(token)
                                .send(),
                        )
                        .map_err(|e| sdk_error("ec2", "ec2:DescribeInstances", e))?;
                    for r in page.reservations() {
                        for i in r.instances() {
                            let ip = if kind == SourceKind::InstancePublicIp {
                                i.public_ip_address()
                            } else {
                                i.private_ip_address()
                            };
                            let (Some(ip), Some(id)) = (ip, i.instance_id()) else {
                                continue;
                            };
                            let name = name_tag(i.tags());
                            let launched = time(i.launch_time());
                            out.push(cand(
                                "ec2",
                                ip,
                                id,
                                label(&[&name, &launched]),
                                order_key(&name, &launched),
                            ));
                        }
                    }
                    token = page.next_token().map(str::to_string);
                    if token.is_none() {
                        break;
                    }
                }
                Ok(out)
            }
            SourceKind::EipAddress | SourceKind::EipAllocationId => {
                let ec2 = &c.ec2;
                let page = rt
                    .block_on(ec2.describe_addresses().send())
                    .map_err(|e| sdk_error("ec2", "ec2:DescribeAddresses", e))?;
                let mut out = Vec::new();
                for a in page.addresses() {
                    let (Some(ip), Some(id)) = (a.public_ip(), a.allocation_id()) else {
                        continue;
                    };
                    let value = if kind == SourceKind::EipAddress {
                        ip
                    } else {
                        id
                    };
                    let name = name_tag(a.tags());
                    let shown = if kind == SourceKind::EipAddress {
                        id
                    } else {
                        ip
                    };
                    out.push(cand(
                        "ec2",
                        value,
                        id,
                        label(&[&name, shown]),
                        order_key(&name, id),
                    ));
                }
                Ok(out)
            }
            SourceKind::CertificateArn => {
                let acm = &c.acm;
                let mut out = Vec::new();
                let mut token = None;
                loop {
                    let page = rt
                        .block_on(
                            acm.list_certificates()
                                .certificate_statuses(aws_sdk_acm::types::CertificateStatus::Issued)
                                .set_next_token(token)
                                .send(),
                        )
                        .map_err(|e| sdk_error("acm", "acm:ListCertificates", e))?;
                    for s in page.certificate_summary_list() {
                        let (Some(arn), domain) = (s.certificate_arn(), s.domain_name()) else {
                            continue;
                        };
                        let domain = domain.unwrap_or_default();
                        // By domain when the lab names one: a certificate of another domain
                        // is no candidate (unless none is of a named domain).
                        let created = time(s.created_at().or(s.imported_at()));
                        out.push(cand(
                            "acm",
                            arn,
                            arn,
                            label(&[domain, &created]),
                            order_key(domain, &created),
                        ));
                    }
                    token = page.next_token().map(str::to_string);
                    if token.is_none() {
                        break;
                    }
                }
                let named: Vec<SourceValue> = out
                    .iter()
                    .filter(|c| {
                        hint.domains.iter().any(|d| {
                            let dom = c.label.split(", ").next().unwrap_or_default();
                            domain_matches(dom, d)
                        })
                    })
                    .cloned()
                    .collect();
                Ok(if named.is_empty() { out } else { named })
            }
            SourceKind::FileSystemId => {
                let efs = &c.efs;
                let mut out = Vec::new();
                let mut marker = None;
                loop {
                    let page = rt
                        .block_on(efs.describe_file_systems().set_marker(marker).send())
                        .map_err(|e| {
                            sdk_error("efs", "elasticfilesystem:DescribeFileSystems", e)
                        })?;
                    for f in page.file_systems() {
                        let id = f.file_system_id();
                        let name = f.name().unwrap_or_default();
                        let created = time(Some(f.creation_time()));
                        out.push(cand(
                            "efs",
                            id,
                            id,
                            label(&[name, &created]),
                            order_key(name, &created),
                        ));
                    }
                    marker = page.next_marker().map(str::to_string);
                    if marker.is_none() {
                        break;
                    }
                }
                Ok(out)
            }
            SourceKind::ClusterEndpoint | SourceKind::ClusterCa => {
                let eks = &c.eks;
                let mut names = Vec::new();
                let mut token = None;
                loop {
                    let page = rt
                        .block_on(eks.list_clusters().set_next_token(token).send())
                        .map_err(|e| sdk_error("eks", "eks:ListClusters", e))?;
                    names.extend(page.clusters().iter().cloned());
                    token = page.next_token().map(str::to_string);
                    if token.is_none() {
                        break;
                    }
                }
                let mut out = Vec::new();
                for n in names {
                    let d = rt
                        .block_on(eks.describe_cluster().name(&n).send())
                        .map_err(|e| sdk_error("eks", "eks:DescribeCluster", e))?;
                    let Some(cl) = d.cluster() else { continue };
                    let value = if kind == SourceKind::ClusterEndpoint {
                        cl.endpoint()
                    } else {
                        cl.certificate_authority().and_then(|a| a.data())
                    };
                    let Some(value) = value.filter(|v| !v.is_empty()) else {
                        continue;
                    };
                    let created = time(cl.created_at());
                    out.push(cand(
                        "eks",
                        value,
                        &n,
                        label(&[&n, &created]),
                        natural_key(&n),
                    ));
                }
                Ok(out)
            }
            _ => Ok(Vec::new()),
        }
    }
}

/// Whether a certificate's domain is the one a lab names (`*.example.com` covers
/// `www.example.com`; case ignored).
fn domain_matches(cert: &str, named: &str) -> bool {
    let (c, n) = (cert.to_ascii_lowercase(), named.to_ascii_lowercase());
    c == n
        || c.strip_prefix("*.")
            .is_some_and(|base| n.ends_with(&format!(".{base}")) || n == base)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcard_domains() {
        assert!(super::domain_matches("*.example.com", "www.example.com"));
        assert!(super::domain_matches("Example.com", "example.com"));
        assert!(!super::domain_matches("*.example.com", "example.org"));
    }
}
