//! The kubeconfig reader: the current context's cluster `server` and
//! `certificate-authority-data`, from `KUBECONFIG` (its first file) or `~/.kube/config`.
//! The file is parsed as data, never executed: a user's `exec` credential plugin is not
//! run, and nothing but the two fields is read.

use std::path::PathBuf;

use super::{Hint, Reader, SourceError, SourceKind, SourceValue};

/// Largest kubeconfig read: a few clusters take a few kilobytes.
const MAX_BYTES: u64 = 1024 * 1024;

pub(super) struct Kubeconfig {
    path: Option<PathBuf>,
}

/// The kubeconfig `kubectl` reads: `KUBECONFIG`'s first file, else `~/.kube/config`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        return std::env::split_paths(&list).next();
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kube").join("config"))
}

impl Kubeconfig {
    pub(super) fn new(path: Option<PathBuf>) -> Kubeconfig {
        Kubeconfig { path }
    }
}

/// The current context's (context name, cluster name, server, CA data) of a kubeconfig's text.
type Current = (String, String, Option<String>, Option<String>);

pub(super) fn current(text: &str) -> Result<Option<Current>, String> {
    use serde_yaml::Value;
    crate::yamlguard::check_depth(text).map_err(|e| e.to_string())?;
    let f: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let named = |list: &str, name: &str| -> Option<Value> {
        f.get(list)?
            .as_sequence()?
            .iter()
            .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
            .cloned()
    };
    let Some(ctx_name) = s(&f, "current-context").filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let Some(ctx) = named("contexts", &ctx_name) else {
        return Err(format!(
            "current-context `{ctx_name}` is not among its contexts"
        ));
    };
    let Some(cluster_name) = ctx.get("context").and_then(|c| s(c, "cluster")) else {
        return Err(format!("context `{ctx_name}` names no cluster"));
    };
    let Some(cl) = named("clusters", &cluster_name) else {
        return Err(format!(
            "cluster `{cluster_name}` of context `{ctx_name}` is not among its clusters"
        ));
    };
    let cl = cl.get("cluster").cloned().unwrap_or(Value::Null);
    Ok(Some((
        ctx_name,
        cluster_name,
        s(&cl, "server"),
        s(&cl, "certificate-authority-data"),
    )))
}

impl Reader for Kubeconfig {
    fn reads(&self, kind: SourceKind) -> bool {
        matches!(kind, SourceKind::ClusterEndpoint | SourceKind::ClusterCa)
    }

    fn read(&mut self, kind: SourceKind, _hint: &Hint) -> Result<Vec<SourceValue>, SourceError> {
        let Some(path) = self.path.clone() else {
            return Ok(Vec::new());
        };
        let shown = path.display().to_string();
        let err = |reason: String| SourceError::Kubeconfig {
            path: shown.clone(),
            reason,
        };
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(err(e.to_string())),
        };
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return Err(err(crate::t!("source-kubeconfig-not-file")));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
        let Some((ctx, cluster, server, ca)) = current(&text).map_err(err)? else {
            return Ok(Vec::new());
        };
        let value = if kind == SourceKind::ClusterEndpoint {
            server
        } else {
            ca
        };
        Ok(value
            .filter(|v| !v.trim().is_empty())
            .map(|v| SourceValue {
                value: v.trim().to_string(),
                resource: cluster.clone(),
                label: format!("kubeconfig: {ctx}"),
                service: "kubeconfig",
                region: None,
                order: String::new(),
            })
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    const CONFIG: &str = "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: QUJD
    server: https://one.example
  name: one
- cluster:
    server: https://two.example
  name: two
contexts:
- context: {cluster: one, user: u}
  name: c1
- context: {cluster: two, user: u}
  name: c2
current-context: c2
users:
- name: u
  user:
    exec: {command: /bin/false}
";

    #[test]
    fn the_current_contexts_cluster() {
        let (ctx, cl, server, ca) = super::current(CONFIG).unwrap().unwrap();
        assert_eq!((ctx.as_str(), cl.as_str()), ("c2", "two"));
        assert_eq!(server.as_deref(), Some("https://two.example"));
        assert_eq!(ca, None);
        let one = CONFIG.replace("current-context: c2", "current-context: c1");
        let (_, _, server, ca) = super::current(&one).unwrap().unwrap();
        assert_eq!(server.as_deref(), Some("https://one.example"));
        assert_eq!(ca.as_deref(), Some("QUJD"));
        let broken = CONFIG.replace("current-context: c2", "current-context: c9");
        assert!(super::current(&broken).unwrap_err().contains("c9"));
    }
}
