//! Where webhooks may be sent (SSRF): an `https` URL, or `http` to the machine itself in
//! development; never, unless configured, to an address inside a private, loopback, link-local
//! or otherwise internal network. The check is made when a subscription is created and again
//! at every delivery, by the resolver the delivery connects with: a name that resolves to a
//! public address today and an internal one tomorrow (DNS rebinding) is refused then.

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Which targets are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetPolicy {
    /// Development: `http` to `localhost` and loopback addresses allowed.
    pub development: bool,
    /// Addresses of private and internal networks allowed (a receiver inside the
    /// organisation's own network, reached through a configured route).
    pub allow_private: bool,
}

/// Why a URL is refused (the message names no part of the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not a URL.
    #[error("url must be an absolute https URL")]
    Malformed,
    /// `http`, other than to the machine itself in development.
    #[error("url must use https (http only to localhost, and only in development)")]
    NotHttps,
    /// A user name or password in the URL.
    #[error("url must not carry a user name or password")]
    Credentials,
    /// An address of a private, loopback, link-local or otherwise internal network.
    #[error("url must not point into a private, loopback or link-local network")]
    Internal,
}

impl TargetPolicy {
    /// Checks a subscription's URL as far as it can be checked without resolving its name.
    pub fn check(&self, text: &str) -> Result<Url, Refusal> {
        let url = Url::parse(text).map_err(|_| Refusal::Malformed)?;
        let host = url.host_str().ok_or(Refusal::Malformed)?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::Credentials);
        }
        let local = is_local_name(host);
        match url.scheme() {
            "https" => {}
            "http" if self.development && local => {}
            "http" => return Err(Refusal::NotHttps),
            _ => return Err(Refusal::Malformed),
        }
        if let Some(ip) = literal_ip(host)
            && !self.allows(ip)
        {
            return Err(Refusal::Internal);
        }
        if local && !self.development && !self.allow_private {
            return Err(Refusal::Internal);
        }
        Ok(url)
    }

    /// Whether a delivery may connect to `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        self.allow_private || !is_internal(ip) || (self.development && ip.is_loopback())
    }
}

fn is_local_name(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || literal_ip(host).is_some_and(|ip| ip.is_loopback())
}

fn literal_ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Whether an address belongs to a network no webhook should reach from outside it.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_internal_v4(v4),
            None => is_internal_v6(v6),
        },
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_documentation()
        // 0.0.0.0/8 "this network" (the unspecified address included), 100.64.0.0/10 shared
        // address space (carrier-grade NAT), 192.0.0.0/24 protocol assignments, 198.18.0.0/15
        // benchmarking, 240.0.0.0/4 reserved (the broadcast address included).
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation,
        // 64:ff9b::/96 NAT64 (which reaches IPv4, internal networks included).
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b)
}

/// A resolver that gives a delivery only the addresses the policy allows.
#[derive(Debug, Clone, Copy)]
pub struct CheckedResolver(pub TargetPolicy);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| policy.allows(addr.ip()))
                .collect();
            if found.is_empty() {
                return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The name resolved to no address a delivery may connect to.
#[derive(Debug, thiserror::Error)]
#[error("the receiver's name resolves only to addresses deliveries may not reach")]
pub struct Refused;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    const PRODUCTION: TargetPolicy = TargetPolicy {
        development: false,
        allow_private: false,
    };
    const DEVELOPMENT: TargetPolicy = TargetPolicy {
        development: true,
        allow_private: false,
    };

    #[test]
    fn production_takes_public_https_only() {
        assert!(
            PRODUCTION
                .check("https://hooks.example.org/casetrail")
                .is_ok()
        );
        assert!(PRODUCTION.check("https://203.0.113.9/x").is_err());
        assert_eq!(PRODUCTION.check("https://8.8.8.8/x").map(|_| ()), Ok(()));
        for (url, refusal) in [
            ("http://hooks.example.org/", Refusal::NotHttps),
            ("http://localhost:8080/", Refusal::NotHttps),
            ("https://localhost/", Refusal::Internal),
            ("https://app.localhost/", Refusal::Internal),
            ("https://127.0.0.1/", Refusal::Internal),
            ("https://10.1.2.3/", Refusal::Internal),
            ("https://172.16.0.1/", Refusal::Internal),
            ("https://192.168.1.1/", Refusal::Internal),
            (
                "https://169.254.169.254/latest/meta-data",
                Refusal::Internal,
            ),
            ("https://100.64.0.1/", Refusal::Internal),
            ("https://0.0.0.0/", Refusal::Internal),
            ("https://[::1]/", Refusal::Internal),
            ("https://[fd00::1]/", Refusal::Internal),
            ("https://[fe80::1]/", Refusal::Internal),
            ("https://[::ffff:10.0.0.1]/", Refusal::Internal),
            ("https://user:pw@hooks.example.org/", Refusal::Credentials),
            ("https://user@hooks.example.org/", Refusal::Credentials),
            ("https://:pw@hooks.example.org/", Refusal::Credentials),
            ("ftp://hooks.example.org/", Refusal::Malformed),
            ("hooks.example.org/x", Refusal::Malformed),
            ("", Refusal::Malformed),
        ] {
            assert_eq!(PRODUCTION.check(url).map(|_| ()), Err(refusal), "{url}");
        }
    }

    #[test]
    fn development_also_takes_http_to_the_machine_itself() {
        assert!(DEVELOPMENT.check("http://localhost:9000/hook").is_ok());
        assert!(DEVELOPMENT.check("http://127.0.0.1:9000/hook").is_ok());
        assert!(DEVELOPMENT.check("http://[::1]:9000/hook").is_ok());
        assert_eq!(
            DEVELOPMENT.check("http://hooks.example.org/").map(|_| ()),
            Err(Refusal::NotHttps)
        );
        assert_eq!(
            DEVELOPMENT.check("https://10.0.0.1/").map(|_| ()),
            Err(Refusal::Internal)
        );
        assert!(DEVELOPMENT.allows("127.0.0.1".parse().unwrap()));
        assert!(!DEVELOPMENT.allows("192.168.0.1".parse().unwrap()));
    }

    #[test]
    fn allowing_private_networks_takes_them_but_still_wants_https_in_production() {
        let policy = TargetPolicy {
            development: false,
            allow_private: true,
        };
        assert!(policy.check("https://10.1.2.3/").is_ok());
        assert!(policy.check("https://localhost/").is_ok());
        assert_eq!(
            policy.check("http://10.1.2.3/").map(|_| ()),
            Err(Refusal::NotHttps)
        );
    }

    #[test]
    fn internal_ranges_are_told_apart_from_public_ones() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.0",
            "172.32.0.1",
            "198.20.0.1",
            "192.1.2.3",
            "8.0.0.1",
            "2001:4860:4860::8888",
            "2a00:ff9b::1",
            "64:1::1",
            "2a00:1450:4009::200e",
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "0.1.2.3",
            "127.5.5.5",
            "198.18.0.1",
            "192.0.0.8",
            "224.0.0.1",
            "255.255.255.255",
            "0.0.0.0",
            "240.0.0.1",
            "2001:db8::1",
            "64:ff9b::a00:1",
            "ff02::1",
            "::",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn the_resolver_gives_only_allowed_addresses() {
        let refused = CheckedResolver(PRODUCTION)
            .resolve(Name::from_str("localhost").unwrap())
            .await;
        assert!(refused.is_err());
        let allowed: Vec<SocketAddr> = CheckedResolver(DEVELOPMENT)
            .resolve(Name::from_str("localhost").unwrap())
            .await
            .unwrap()
            .collect();
        assert!(!allowed.is_empty());
        assert!(allowed.iter().all(|a| a.ip().is_loopback()));
    }
}
