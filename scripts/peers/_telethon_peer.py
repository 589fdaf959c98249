# The Telethon client the download and upload peers of the benches start from: the config's
# StringSession on the fake DC (its RSA key added), no update handling; and their error report.
import asyncio
import json
import sys

from telethon import TelegramClient
from telethon.crypto import rsa
from telethon.network import ConnectionTcpIntermediate
from telethon.sessions import StringSession


async def connect(cfg):
    """A connected client for {"pem", "session"}."""
    rsa.add_key(cfg["pem"], old=False)
    client = TelegramClient(
        StringSession(cfg["session"]), 17349, "344583e45741c457fe1862106095a5eb",
        connection=ConnectionTcpIntermediate, receive_updates=False,
    )
    await client.connect()
    return client


def run(main):
    """Runs main(config from argv[1]); on failure prints {"error"} and exits 1."""
    try:
        asyncio.run(main(json.loads(sys.argv[1])))
    except Exception as e:  # report, never a traceback with session data
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
