# Telethon's send_file looping over files to Saved Messages (what the streaming uploaders built on
# Telethon do), pointed at the fake DC. Usage:
#   /usr/bin/python3 telethon_upload.py '<json config>'
# Config: {"pem", "fingerprint", "session" (StringSession), "files": [paths]}.
# Prints {"files", "bytes", "ms"}; exits 1 with {"error"} on failure.
import asyncio
import json
import os
import sys
import time

from telethon import TelegramClient
from telethon.crypto import rsa
from telethon.network import ConnectionTcpIntermediate
from telethon.sessions import StringSession


async def main(cfg):
    rsa.add_key(cfg["pem"], old=False)
    client = TelegramClient(
        StringSession(cfg["session"]), 17349, "344583e45741c457fe1862106095a5eb",
        connection=ConnectionTcpIntermediate, receive_updates=False,
    )
    await client.connect()
    try:
        t = time.perf_counter()
        total = 0
        for path in cfg["files"]:
            await client.send_file("me", path, force_document=True)
            total += os.path.getsize(path)
        print(json.dumps({"files": len(cfg["files"]), "bytes": total,
                          "ms": round((time.perf_counter() - t) * 1000)}))
    finally:
        await client.disconnect()


try:
    asyncio.run(main(json.loads(sys.argv[1])))
except Exception as e:  # report, never a traceback with session data
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
    sys.exit(1)
