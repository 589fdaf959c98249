# Telethon (Debian python3-telethon 1.25.1, layer 144) against the fake DC, for tests.
# Usage: /usr/bin/python3 telethon_client.py '<json config>'
# Config: {"pem", "fingerprint", "dc_id", "host", "port", "session": "" | StringSession,
#          "steps": ["bot_login", "get_me", "download", "app_config", "ping"], "doc": {...}}
# Prints one JSON object per step on stdout; exits 1 with {"error": ...} on failure.
import asyncio
import hashlib
import json
import sys
import time

from telethon import TelegramClient, functions, types
from telethon.crypto import rsa
from telethon.network import ConnectionTcpIntermediate
from telethon.sessions import MemorySession, StringSession


def out(**kw):
    print(json.dumps(kw), flush=True)


async def main(cfg):
    # Register the fake DC's RSA key under the fingerprint the server announces.
    rsa.add_key(cfg["pem"], old=False)
    fp = rsa._compute_fingerprint(rsa.rsa.PublicKey.load_pkcs1(cfg["pem"]))
    if str(fp) != cfg["fingerprint"]:
        raise RuntimeError("fingerprint mismatch %s != %s" % (fp, cfg["fingerprint"]))
    if cfg.get("session"):
        session = StringSession(cfg["session"])
    else:
        session = MemorySession()
        session.set_dc(cfg["dc_id"], cfg["host"], cfg["port"])  # Telethon honours the port
    client = TelegramClient(
        session, 17349, "344583e45741c457fe1862106095a5eb",
        connection=ConnectionTcpIntermediate, connection_retries=1, auto_reconnect=False,
        receive_updates=False,
    )
    t = time.perf_counter()
    await client.connect()
    out(step="connect", ms=round((time.perf_counter() - t) * 1000),
        time_offset=client._sender._state.time_offset)
    try:
        for step in cfg["steps"]:
            t = time.perf_counter()
            if step == "bot_login":
                await client.sign_in(bot_token="123456:TEST-TOKEN-tgpipe-fakedc")
                res = {}
            elif step == "get_me":
                me = await client.get_me()
                res = {"id": me.id}
            elif step == "download":
                d = cfg["doc"]
                loc = types.InputDocumentFileLocation(
                    id=d["id"], access_hash=d["access_hash"],
                    file_reference=bytes(d["file_reference"]), thumb_size="")
                data = await client.download_file(loc, bytes, file_size=d["size"])
                res = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            elif step == "app_config":
                r = await client(functions.help.GetAppConfigRequest())
                res = {"type": type(r).__name__}
            elif step == "ping":
                r = await client(functions.PingRequest(ping_id=12345))
                res = {"ping_id": r.ping_id}
            else:
                raise ValueError("unknown step " + step)
            out(step=step, ms=round((time.perf_counter() - t) * 1000),
                time_offset=client._sender._state.time_offset, **res)
    finally:
        await client.disconnect()


try:
    asyncio.run(main(json.loads(sys.argv[1])))
except Exception as e:  # report, do not print a traceback with session data
    out(error="%s: %s" % (type(e).__name__, e))
    sys.exit(1)
