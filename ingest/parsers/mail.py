"""E-mail: EML (RFC 822, Python's `email` package) and Outlook MSG (python-oxmsg).

The text starts with the header block (From/To/Cc/Date/Subject) so the people in it are mentioned in
a sentence; senders and recipients are also handed over as known entities. Attachments become child
documents (`ATTACHED_TO` the e-mail)."""

from __future__ import annotations

import email
import email.policy
import email.utils
import mimetypes
from email.message import EmailMessage

from ingest.errors import BadFileError, one_line
from ingest.parsers.base import Child, Parsed, ParseOptions
from ingest.text import TextBuilder, clean

ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To")


def people(values: list[str]) -> list[tuple[str, str]]:
    """(PERSON, display name) and (EMAIL, address) for every address in the header values."""
    out: list[tuple[str, str]] = []
    for name, addr in email.utils.getaddresses([v for v in values if v]):
        name, addr = clean(name).strip("'\" "), addr.strip().lower()
        if name and "@" not in name:
            out.append(("PERSON", name))
        if "@" in addr:
            out.append(("EMAIL", addr))
    return list(dict.fromkeys(out))


def _assemble(headers: list[tuple[str, str]], body_blocks: list[str], children: list[Child],
              entities: list[tuple[str, str]], subject: str | None) -> Parsed:
    builder = TextBuilder()
    header_lines = [f"{k}: {clean(v)}" for k, v in headers if v and clean(v)]
    if children:
        names = ", ".join(c.name for c in children)
        header_lines.append(f"Attachments: {names}")
    builder.add("\n".join(header_lines))
    for block in body_blocks:
        builder.add(block)
    builder.page_count = 1
    return Parsed(text=builder.text(), pages=builder.pages, page_count=1, title=clean(subject or "") or None,
                  known_entities=entities, children=children)


def _body_blocks(text: str | None, html: str | None) -> list[str]:
    if text and text.strip():
        return [b for para in text.replace("\r\n", "\n").split("\n\n") if (b := clean(para))]
    if html and html.strip():
        from ingest.parsers.web import html_to_parsed

        return [html_to_parsed(html).text]
    return []


def _attachment_name(part: EmailMessage, n: int) -> str:
    name = part.get_filename()
    if name:
        return name.replace("/", "_").replace("\\", "_")
    ext = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"attachment-{n}{'.eml' if part.get_content_type() == 'message/rfc822' else ext}"


def parse_eml(data: bytes, options: ParseOptions) -> Parsed:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        if not any(msg.get(h) for h in ("From", "To", "Subject", "Date", "Message-ID")):
            raise BadFileError("not an e-mail: no From/To/Subject/Date header")
        headers = [(h, str(msg.get(h, ""))) for h in (*ADDRESS_HEADERS[:3], "Date", "Subject")]
        body = msg.get_body(preferencelist=("plain", "html"))
        text = html = None
        if body is not None:
            content = body.get_content()
            if body.get_content_type() == "text/html":
                html = content
            else:
                text = content
        children: list[Child] = []
        for n, part in enumerate(msg.iter_attachments(), start=1):
            name = _attachment_name(part, n)
            try:
                payload = part.get_content()
                if isinstance(payload, EmailMessage):
                    payload = payload.as_bytes()
                elif isinstance(payload, str):
                    payload = payload.encode("utf-8")
                children.append(Child(name=name, data=payload))
            except (LookupError, ValueError, TypeError) as exc:
                children.append(Child(name=name, error=f"undecodable attachment: {one_line(exc)}"))
    except BadFileError:
        raise
    except (LookupError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise BadFileError(f"corrupt e-mail: {one_line(exc)}") from exc
    entities = people([str(msg.get(h, "")) for h in ADDRESS_HEADERS])
    return _assemble(headers, _body_blocks(text, html), children, entities, str(msg.get("Subject", "")))


def parse_msg(data: bytes, options: ParseOptions) -> Parsed:
    from oxmsg import Message

    try:
        msg = Message.load(data)
        sender = msg.sender or ""
        hdr = {k.lower(): v for k, v in msg.message_headers.items()}
        to = hdr.get("to") or ", ".join(
            email.utils.formataddr((r.name, r.email_address)) for r in msg.recipients if r.email_address)
        cc = hdr.get("cc") or ""
        sent = msg.sent_date.isoformat() if msg.sent_date else hdr.get("date", "")
        headers = [("From", sender), ("To", to), ("Cc", cc), ("Date", sent), ("Subject", msg.subject)]
        children = []
        for n, att in enumerate(msg.attachments, start=1):
            name = (att.file_name or f"attachment-{n}.bin").replace("/", "_").replace("\\", "_")
            payload = att.file_bytes
            children.append(Child(name=name, data=payload) if payload is not None
                            else Child(name=name, error="attachment stored by reference or embedded message"))
        text, html = msg.body, msg.html_body
    except BadFileError:
        raise
    except Exception as exc:  # olefile/oxmsg raise anything from OSError to struct.error on damage
        raise BadFileError(f"corrupt Outlook MSG: {one_line(exc)}") from exc
    values = [sender, to, cc, *(email.utils.formataddr((r.name, r.email_address)) for r in msg.recipients)]
    return _assemble(headers, _body_blocks(text, html), children, people(values), msg.subject)
