#!/usr/bin/env python3
"""An independent DNS-SD peer for lanarena's discovery tests (python-zeroconf).

  zeroconf_peer.py respond IP SPEC.json  registers the instances listed in
      SPEC.json ([{"instance", "port", "txt": ["k=v", ...]}]) on the
      interface with address IP, prints "ready", and answers until stdin
      closes.
  zeroconf_peer.py browse IP SECONDS     browses _lanarena._udp.local. on
      that interface and prints each instance it resolves, one JSON object a
      line: {"instance", "port", "addresses", "txt": {key: value}}.

Names and TXT values are printed as the UTF-8 text the bytes spell.
"""
import json
import socket
import sys
import threading
import time

from zeroconf import ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

TYPE = "_lanarena._udp.local."


def respond(ip, spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    zc = Zeroconf(interfaces=[ip])
    for i, s in enumerate(spec):
        props = {}
        for kv in s["txt"]:
            k, _, v = kv.partition("=")
            props[k.encode()] = v.encode()
        info = ServiceInfo(
            TYPE,
            s["instance"] + "." + TYPE,
            addresses=[socket.inet_aton(ip)],
            port=s["port"],
            properties=props,
            server="zc%d-%d.local." % (i, s["port"]),
        )
        zc.register_service(info, allow_name_change=False)
    print("ready", flush=True)
    sys.stdin.read()
    zc.close()


def browse(ip, seconds):
    zc = Zeroconf(interfaces=[ip])
    seen = set()
    lock = threading.Lock()

    def changed(zeroconf, service_type, name, state_change):
        if state_change is not ServiceStateChange.Added:
            return
        threading.Thread(target=resolve, args=(name,), daemon=True).start()

    def resolve(name):
        info = zc.get_service_info(TYPE, name, timeout=3000)
        if info is None:
            return
        with lock:
            if name in seen:
                return
            seen.add(name)
            txt = {}
            for k, v in (info.properties or {}).items():
                txt[k.decode("utf-8", "replace")] = None if v is None else v.decode("utf-8", "replace")
            print(json.dumps({
                "instance": name[: -len("." + TYPE)],
                "port": info.port,
                "addresses": [socket.inet_ntoa(a) for a in info.addresses],
                "txt": txt,
            }, ensure_ascii=False), flush=True)

    ServiceBrowser(zc, TYPE, handlers=[changed])
    time.sleep(float(seconds))
    zc.close()


if __name__ == "__main__":
    if sys.argv[1] == "respond":
        respond(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "browse":
        browse(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: zeroconf_peer.py respond IP SPEC.json | browse IP SECONDS")
