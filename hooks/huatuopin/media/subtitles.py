"""WebVTT subtitles: checked, then published in a normalised form (UTF-8, `\\n` line ends)."""

from __future__ import annotations

import re
from pathlib import Path

from ..personaldata import Finding, find_personal_data
from .records import MediaError
from .sniff import sniff_bytes

_TIMING = re.compile(
    r"^(?:\d{1,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{1,}:)?\d{2}:\d{2}\.\d{3}(?:[ \t].*)?$"
)
_SRT_TIMING = re.compile(r"\d{2}:\d{2}:\d{2},\d{3}\s+-->")


def read_webvtt(path: Path, max_bytes: int) -> str:
    """The subtitles as text with `\\n` line ends, or MediaError saying what is wrong."""
    size = path.stat().st_size
    if size > max_bytes:
        raise MediaError(
            f"有 {size // 1024} KB，超过字幕文件上限 {max_bytes // 1024} KB；"
            "字幕只应包含文字和时间轴，请检查是否选错了文件"
        )
    raw = path.read_bytes()
    kind = sniff_bytes(raw[:4096])
    if kind not in ("text", "empty") and not raw.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise MediaError("不是文字文件，不能作为字幕；字幕要用 WebVTT（.vtt）文本文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise MediaError(
            f"第 {line} 行不是 UTF-8 编码；请用 UTF-8 编码另存字幕文件（记事本“另存为”选 UTF-8）"
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        if _SRT_TIMING.search(text):
            raise MediaError(
                "是 SRT 字幕，不是 WebVTT；请用字幕软件另存为 .vtt 格式"
                "（或把第一行写成 WEBVTT、把时间里的逗号改成点）"
            )
        raise MediaError("不是 WebVTT 字幕：文件第一行必须是 WEBVTT；请用字幕软件导出 .vtt 格式")
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" in line:
            if not _TIMING.match(line.strip()):
                raise MediaError(
                    f"第 {number} 行的时间轴格式不对（“{line.strip()[:40]}”）；"
                    "应写成 00:00:01.000 --> 00:00:04.000"
                )
            cues += 1
    if cues == 0:
        raise MediaError("里面没有任何字幕（没有“开始 --> 结束”时间轴）；请检查文件内容")
    return text if text.endswith("\n") else text + "\n"


def personal_data_in_cues(text: str) -> list[Finding]:
    """Personal numbers in what a viewer reads (cue text, identifiers, notes), by line.

    Timing lines are blanked, not scanned: `00:01:02.000 --> …` is no one's number, and a
    blank line also keeps the text of one cue from joining the next. So is the WEBVTT word.
    """
    lines = text.split("\n")
    if lines and lines[0].startswith("WEBVTT"):
        lines[0] = lines[0][len("WEBVTT") :]
    shown = ["" if "-->" in line and _TIMING.match(line.strip()) else line for line in lines]
    return find_personal_data("\n".join(shown))
