#!/usr/bin/env python3
"""Create and publish a benchmark scenario through the REST API; print the webhook URL.

usage: setup_scenario.py BASE_URL TOKEN KIND [SINK_URL]
KIND: b1 (sync respond), b2 (same graph, async 202), b3 (5 nodes, two http_request POSTs to SINK_URL)
"""
import json, sys, urllib.request


def call(base, token, method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path} -> {e.code}: {e.read().decode(errors='replace')}")


def node(nid, ntype, settings=None, x=0):
    return {"id": nid, "type": ntype, "version": 1, "position": {"x": x, "y": 0},
            "data": {"label": nid, "settings": settings or {}}}


def edge(src, dst, handle=None):
    e = {"id": f"{src}-{dst}", "source": src, "target": dst}
    if handle:
        e["sourceHandle"] = handle
    return e


def b1_graph(mode):
    respond = {"id": "{{transform.output.id}}", "total": "{{transform.output.total}}"}
    trigger = {"verification": "none", "response_mode": mode}
    return {"nodes": [node("trigger", "system.webhook", trigger),
                      node("transform", "system.transform",
                           {"output": {"id": "{{trigger.body.id}}", "total": "{{trigger.body.amount * 1.2}}"}}),
                      node("if", "router.if", {"condition": "{{transform.output.total > 100}}"}),
                      node("high", "system.respond", {"body": dict(respond, branch="high")}),
                      node("low", "system.respond", {"body": dict(respond, branch="low")})],
            "edges": [edge("trigger", "transform"), edge("transform", "if"),
                      edge("if", "high", "true"), edge("if", "low", "false")],
            "viewport": {"x": 0, "y": 0, "zoom": 1}}


def b3_graph(sink):
    # trigger -> transform -> POST /a -> POST /b -> transform; the sink counts by Idempotency-Key
    return {"nodes": [node("trigger", "system.webhook", {"verification": "none"}),
                      node("prep", "system.transform", {"output": {"id": "{{trigger.body.id}}"}}),
                      node("call_a", "system.http_request", {"method": "POST", "url": sink + "/a",
                                                             "body": {"id": "{{prep.output.id}}"}}),
                      node("call_b", "system.http_request", {"method": "POST", "url": sink + "/b",
                                                             "body": {"id": "{{prep.output.id}}"}}),
                      node("done", "system.transform", {"output": {"a": "{{call_a.output.status}}",
                                                                   "b": "{{call_b.output.status}}"}})],
            "edges": [edge("trigger", "prep"), edge("prep", "call_a"), edge("call_a", "call_b"),
                      edge("call_b", "done")],
            "viewport": {"x": 0, "y": 0, "zoom": 1}}


def main():
    base, token, kind = sys.argv[1:4]
    graph = {"b1": lambda: b1_graph("sync"), "b2": lambda: b1_graph("async"),
             "b3": lambda: b3_graph(sys.argv[4])}[kind]()
    s = call(base, token, "POST", "/api/v1/scenarios", {"name": f"bench {kind}"})
    sid = s["id"]
    call(base, token, "PUT", f"/api/v1/scenarios/{sid}/graph", graph)
    pub = call(base, token, "POST", f"/api/v1/scenarios/{sid}/publish", {})
    hooks = pub.get("webhooks") or []
    if isinstance(hooks, dict):  # the daemon nests {"webhooks": [...], ...} under "webhooks"
        hooks = hooks.get("webhooks") or []
    if not hooks:
        sys.exit("publish answered no webhooks: " + json.dumps(pub)[:500])
    url = hooks[0]["url"]
    print(url if url.startswith("http") else base + url)


if __name__ == "__main__":
    main()
