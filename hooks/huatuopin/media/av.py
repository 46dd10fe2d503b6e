"""Video and audio jobs: what each published file becomes, built on the `ffmpeg` module."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from . import ffmpeg
from .cache import atomic_write_bytes, temporary_path
from .images import DEFAULT_PIPELINE, encode
from .records import MediaError

VIDEO_SIGNATURE = f"video {ffmpeg.SIGNATURE} poster=jpeg{DEFAULT_PIPELINE.jpeg_quality}"
AUDIO_SIGNATURE = f"audio {ffmpeg.SIGNATURE}"
POSTER_AT_SECONDS = 1.0


@dataclass(frozen=True)
class AvJob:
    """One video or recording to encode; plain values, so it can cross to a worker process."""

    src: str
    key: str
    files_dir: str
    facts: dict[str, Any]
    timeout: float
    max_seconds: float  # the published file is cut here, whatever the probe found
    max_pixels: int

    @property
    def digest(self) -> str:
        return self.key[:16]


class VideoJob(AvJob):
    pass


class AudioJob(AvJob):
    pass


def run_video_job(job: VideoJob) -> dict[str, Any]:
    files_dir = Path(job.files_dir)
    name = f"{job.digest}.mp4"
    poster_name = f"{job.digest}-poster.jpg"
    temporary = temporary_path(files_dir / name)
    try:
        width, height = ffmpeg.encode_video(
            Path(job.src),
            temporary,
            job.facts,
            job.timeout,
            max_seconds=job.max_seconds,
            max_pixels=job.max_pixels,
        )
        # What was published, which an edit list in the source can make shorter than its
        # streams: the poster is taken inside it, and the page shows its length.
        measured = ffmpeg.stream_seconds(temporary, None, job.timeout) or 0.0
        frame = _poster_frame(temporary, min(POSTER_AT_SECONDS, measured / 3), job.timeout)
        atomic_write_bytes(files_dir / poster_name, _poster_jpeg(frame))
        os.replace(temporary, files_dir / name)
    finally:
        temporary.unlink(missing_ok=True)
    return {
        "kind": "video",
        "file": name,
        "poster": poster_name,
        "width": width,
        "height": height,
        # The last sound frame may end a few milliseconds after the cut.
        "duration": min(measured, job.max_seconds),
        "files": [name, poster_name],
    }


def _poster_frame(video: Path, at: float, timeout: float) -> bytes:
    """The frame at `at` seconds, else the first one: a clip whose pictures end before its
    sound (or a single picture shown for a while) has nothing to show at `at`."""
    try:
        return ffmpeg.frame_png(video, at, timeout)
    except MediaError:
        if at == 0:
            raise
        return ffmpeg.frame_png(video, 0.0, timeout)


def _poster_jpeg(png: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as frame:
            frame.load()
            pixels = frame.convert("RGB")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise MediaError(f"无法读取视频画面（{error}）") from error
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    return encode(clean, "jpeg", DEFAULT_PIPELINE)


def run_audio_job(job: AudioJob) -> dict[str, Any]:
    files_dir = Path(job.files_dir)
    name = f"{job.digest}.m4a"
    temporary = temporary_path(files_dir / name)
    try:
        ffmpeg.encode_audio(
            Path(job.src), temporary, job.facts, job.timeout, max_seconds=job.max_seconds
        )
        measured = ffmpeg.stream_seconds(temporary, None, job.timeout) or 0.0
        os.replace(temporary, files_dir / name)
    finally:
        temporary.unlink(missing_ok=True)
    return {
        "kind": "audio",
        "file": name,
        "duration": min(measured, job.max_seconds),
        "files": [name],
    }
