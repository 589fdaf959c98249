# Telethon's iter_messages writing JSON lines: the engine under tobs, tg-archive and telegram-export.
# Usage: /usr/bin/python3 telethon_export.py '<json config>'
# Config: {"pem", "fingerprint", "session" (a Telethon StringSession), "chat" (username), "out"}
# Prints {"messages": n, "ms": elapsed} on stdout.
import asyncio
import json
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
        connection=ConnectionTcpIntermediate, receive_updates=False, flood_sleep_threshold=60,
    )
    await client.connect()
    t = time.perf_counter()
    n = 0
    with open(cfg["out"], "w") as f:
        async for m in client.iter_messages(cfg["chat"]):
            f.write(json.dumps(m.to_dict(), default=str) + "\n")
            n += 1
    ms = (time.perf_counter() - t) * 1000
    await client.disconnect()
    print(json.dumps({"messages": n, "ms": round(ms)}), flush=True)


asyncio.run(main(json.loads(sys.argv[1])))
