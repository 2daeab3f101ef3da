"""Plain-text and HTML bodies of a French message, from one list of paragraphs and an optional button."""

from html import escape

from fne_kernel.mail.outbox import Mail


def compose(
    *,
    recipient: str,
    subject: str,
    kind: str,
    greeting: str,
    paragraphs: list[str],
    action: tuple[str, str] | None = None,
    footer: list[str] = (),  # type: ignore[assignment]
    headers: tuple[tuple[str, str], ...] = (),
) -> Mail:
    """`action`: (label, url), the message's one link, shown as a button and written out in the text."""
    text_lines = [greeting, ""]
    html_parts = [f"<p>{escape(greeting)}</p>"]
    for paragraph in paragraphs:
        text_lines += [paragraph, ""]
        html_parts.append(f"<p>{escape(paragraph)}</p>")
    if action is not None:
        label, url = action
        text_lines += [f"{label} : {url}", ""]
        html_parts.append(
            f'<p><a href="{escape(url)}" style="display:inline-block;padding:8px 16px;background:#000091;'
            f'color:#ffffff;text-decoration:none">{escape(label)}</a></p>'
            f'<p style="font-size:small">Si le bouton ne fonctionne pas, copiez ce lien : {escape(url)}</p>'
        )
    for line in footer:
        text_lines.append(f"-- {line}" if line is footer[0] else line)
        html_parts.append(f'<p style="font-size:small;color:#666666">{escape(line)}</p>')
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
        f'{escape(subject)}</title></head><body style="font-family:Marianne,Arial,sans-serif">'
        + "".join(html_parts)
        + "</body></html>"
    )
    return Mail(
        recipient=recipient,
        subject=subject,
        text="\n".join(text_lines).rstrip() + "\n",
        html=html,
        kind=kind,
        headers=headers,
    )
