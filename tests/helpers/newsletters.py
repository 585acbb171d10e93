"""Two newsletters shaped like real ones (issue 14): a preheader hidden for the inbox's
preview line and padded with zero-width characters, nested 600 px tables centred by a
max-width wrapper, "buttons" made of styled links, background images, @media rules
with a mobile-only copy of the header, and a 1x1 tracking pixel."""

from __future__ import annotations

from email.message import EmailMessage

PREHEADER = "Your weekly digest: 5 stories picked for you"
MOBILE_ONLY = "Tap here for the mobile edition"

SHOP = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<style>
  @media only screen and (max-width: 600px) {{ .desktop {{ display: none !important; }}
    .mobile {{ display: block !important; }} }}
  body {{ margin: 0; background: #f2f2f2; }}
</style></head>
<body style="margin:0;background:#f2f2f2">
<div style="display:none;font-size:1px;color:#f2f2f2;line-height:1px;max-height:0;
max-width:0;opacity:0;overflow:hidden;mso-hide:all">{PREHEADER}
&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;</div>
<div style="max-width:600px;margin:0 auto">
<table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0"
 style="width:600px;background:#ffffff">
 <tr><td background="https://cdn.shop.example/hero-bg.jpg" bgcolor="#1d3557"
  style="background-image:url('https://cdn.shop.example/hero-bg.jpg');padding:24px;color:#ffffff">
  <h1 style="margin:0">Autumn sale: 30% off</h1>
  <div class="mobile" style="display:none;max-height:0;overflow:hidden">{MOBILE_ONLY}</div>
 </td></tr>
 <tr><td style="padding:16px">
  <table width="568" cellpadding="0" cellspacing="0"><tr>
   <td width="284" valign="top"><img src="https://cdn.shop.example/coat.jpg" width="260"
     height="200" alt="Wool coat"><p>Wool coat, now 89 EUR</p></td>
   <td width="284" valign="top"><img src="https://cdn.shop.example/boots.jpg" width="260"
     height="200" alt="Boots"><p>Leather boots, now 119 EUR</p></td>
  </tr></table>
  <p style="text-align:center"><a href="https://shop.example/sale"
   style="background-color:#e63946;color:#ffffff;padding:12px 24px;border-radius:4px;
   text-decoration:none;display:inline-block">Shop the sale</a></p>
 </td></tr>
 <tr><td style="font-size:12px;color:#777777;padding:16px">You receive this because you
  signed up at shop.example. <a href="https://shop.example/unsubscribe">Unsubscribe</a>
 </td></tr>
</table></div>
<img src="https://track.shop.example/open.gif?u=8f3a" width="1" height="1" alt=""
 style="display:block;width:1px;height:1px;border:0">
</body></html>"""

DIGEST = f"""<html><body>
<span style="color:transparent;display:none;height:0;max-height:0;max-width:0;opacity:0;
overflow:hidden;visibility:hidden;width:0">{PREHEADER}</span>
<table width="100%" bgcolor="#eeeeee"><tr><td align="center">
<table width="640" style="max-width:640px" bgcolor="#ffffff" cellpadding="20"><tr><td>
 <h2>The Weekly Digest</h2>
 <p>Good morning! Here is what happened this week in open source.</p>
 <ol><li>A new release of the mail server everyone runs.</li>
 <li>How to keep your inbox at zero.</li></ol>
 <table cellpadding="0" cellspacing="0"><tr><td bgcolor="#2a9d8f"
  style="border-radius:6px;padding:10px 18px"><a href="https://digest.example/read"
  style="color:#ffffff;font-weight:bold;text-decoration:none">Read all 5 stories</a></td>
 </tr></table>
</td></tr></table>
</td></tr></table>
<img src="https://digest.example/pixel.png" style="width:1px;height:1px" alt="">
</body></html>"""


def newsletter_message(html: str, subject: str, sender: str) -> bytes:
    """A multipart/alternative message with ``html`` and a short plain-text part."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Bob <bob@example.org>"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Nov 2026 08:00:00 +0000"
    msg["Message-ID"] = f"<{abs(hash(subject))}@newsletter.example>"
    msg.set_content("View this newsletter in a browser.\n")
    msg.add_alternative(html, subtype="html")
    return msg.as_bytes().replace(b"\n", b"\r\n")
