"""Reads a raw RFC 5322 message on standard input with Python's `email` package and prints what a mail
client would see, as JSON: the decoded headers, and each leaf part's type, charset and decoded text.

Used by the Delivery tests as an independent check of the MIME renderer.
"""

import email
import email.policy
import json
import sys

message = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
parts = []
for part in message.walk():
    if part.is_multipart():
        continue
    parts.append(
        {
            "contentType": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transferEncoding": part.get("Content-Transfer-Encoding"),
            # Lines end in CRLF on the wire; LF here, as the text was written.
            "content": part.get_content().replace("\r\n", "\n"),
        }
    )
print(
    json.dumps(
        {
            "headers": [[name, str(value)] for name, value in message.items()],
            "addresses": {
                field: [[address.display_name, address.addr_spec] for address in message[field].addresses]
                for field in ("From", "To")
                if message[field] is not None
            },
            "contentType": message.get_content_type(),
            "defects": [type(defect).__name__ for defect in message.defects],
            "parts": parts,
        }
    )
)
