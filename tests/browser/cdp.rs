//! A small Chrome DevTools Protocol client for the report tests: starts headless
//! Chromium on a fresh profile, attaches to one page over a WebSocket, and records what
//! a person would not see: console errors, uncaught exceptions, every request the page
//! makes. Commands block with a time limit, so a stuck browser fails the test instead of
//! hanging it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// Longest wait for the browser to start, answer a command or load a page.
const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every event received so far (method, params).
    pub events: Vec<(String, Value)>,
    profile: std::path::PathBuf,
}

impl Browser {
    /// Starts `chromium` headless with the flags that work on these machines (no
    /// sandbox as root, no GPU, no background networking) and a new profile directory.
    pub fn launch(chromium: &Path, profile: &Path) -> Browser {
        let _ = std::fs::remove_dir_all(profile);
        std::fs::create_dir_all(profile).expect("profile dir");
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let ws_url = devtools_url(&mut child);
        let mut browser = Browser {
            ws: connect(&ws_url),
            child,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            profile: profile.to_path_buf(),
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        for domain in [
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
            "Page.enable",
        ] {
            browser.call(domain, json!({}));
        }
        browser
    }

    /// Sends a command (to the page once attached) and returns its result; a protocol
    /// error fails the test.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .unwrap_or_else(|e| panic!("sending {method}: {e}"));
        let started = Instant::now();
        loop {
            let v = self.receive(method, started);
            if v["id"].as_u64() == Some(id) {
                if let Some(err) = v.get("error") {
                    panic!("{method} failed: {err}");
                }
                return v["result"].clone();
            }
        }
    }

    /// Reads one protocol message; events are recorded.
    fn receive(&mut self, waiting_for: &str, started: Instant) -> Value {
        loop {
            assert!(
                started.elapsed() < TIMEOUT,
                "no answer to {waiting_for} within {TIMEOUT:?}"
            );
            let msg = match self.ws.read() {
                Ok(m) => m,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue
                }
                Err(e) => panic!("reading from chromium while waiting for {waiting_for}: {e}"),
            };
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(text.as_str()).expect("protocol JSON");
            if let Some(method) = v["method"].as_str() {
                self.events.push((method.to_string(), v["params"].clone()));
            }
            return v;
        }
    }

    /// Navigates to `url` and waits for the page's load event.
    pub fn open(&mut self, url: &str) {
        let seen = self.events.len();
        self.call("Page.navigate", json!({"url": url}));
        let started = Instant::now();
        while !self.events[seen..]
            .iter()
            .any(|(m, _)| m == "Page.loadEventFired")
        {
            self.receive("Page.loadEventFired", started);
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value (as JSON).
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("script failed: {e}\n{expression}");
        }
        r["result"]["value"].clone()
    }

    /// Console errors and warnings, uncaught exceptions and browser log errors (CSP
    /// violations, failed loads) seen so far.
    pub fn problems(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|(m, p)| match m.as_str() {
                "Runtime.exceptionThrown" => Some(format!("exception: {}", p["exceptionDetails"])),
                "Runtime.consoleAPICalled"
                    if matches!(p["type"].as_str(), Some("error" | "assert" | "warning")) =>
                {
                    Some(format!("console.{}: {}", p["type"], p["args"]))
                }
                "Log.entryAdded"
                    if matches!(p["entry"]["level"].as_str(), Some("error" | "warning")) =>
                {
                    Some(format!(
                        "log {}: {}",
                        p["entry"]["level"], p["entry"]["text"]
                    ))
                }
                _ => None,
            })
            .collect()
    }

    /// URLs of every request the page made.
    pub fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|(m, _)| m == "Network.requestWillBeSent")
            .filter_map(|(_, p)| p["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Saves a PNG screenshot of the page region (x, y, width, height) in CSS pixels.
    pub fn screenshot(&mut self, path: &Path, clip: (f64, f64, f64, f64)) {
        let (x, y, width, height) = clip;
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": x, "y": y, "width": width, "height": height, "scale": 1}}),
        );
        let png = decode_base64(r["data"].as_str().expect("screenshot data"));
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Prints the page to PDF (with the print stylesheet) and returns the bytes.
    pub fn pdf(&mut self) -> Vec<u8> {
        let r = self.call("Page.printToPDF", json!({"printBackground": true}));
        decode_base64(r["data"].as_str().expect("pdf data"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Reads Chromium's stderr until it says where DevTools listens; keeps draining it
/// afterwards so the browser never blocks on a full pipe.
fn devtools_url(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("chromium stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = tx.send(Ok(url.trim().to_string()));
                    sent = true;
                } else {
                    let _ = tx.send(Err(line));
                }
            }
        }
    });
    let mut said = Vec::new();
    let started = Instant::now();
    while started.elapsed() < TIMEOUT {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Ok(url)) => return url,
            Ok(Err(line)) => said.push(line),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!(
        "chromium did not open its DevTools port; it said:\n{}",
        said.join("\n")
    );
}

/// Opens the WebSocket with read timeouts, so reads return instead of hanging.
fn connect(url: &str) -> WebSocket<TcpStream> {
    let authority = url
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("unexpected DevTools URL {url}"));
    let stream = TcpStream::connect(authority).expect("connect to DevTools");
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("read timeout");
    // A report of a few hundred targets prints to a PDF of tens of MB, sent as one
    // base64 message: larger than tungstenite's 16 MiB default frame limit.
    let limit = Some(256 << 20);
    let config = tungstenite::protocol::WebSocketConfig::default()
        .max_message_size(limit)
        .max_frame_size(limit);
    let (ws, _) = tungstenite::client::client_with_config(url, stream, Some(config))
        .expect("WebSocket handshake");
    ws
}

/// Standard base64 decoding (screenshots and PDFs come back encoded).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}
