"""Real, small output files for the fake ComfyUI: PNG stills, H.264/VP9/GIF videos, FLAC/MP3 audio.

Sizes, frame counts and durations are read from the submitted graph (EmptyLatentImage, LoadImage,
LTXVImgToVideo, WanImageToVideo, FramePackSampler, EmptyAceStepLatentAudio …); pixels depend on the
seed and move over time, so different seeds give different pictures and a video's last frame differs
from its first.
"""

from __future__ import annotations

import math
import re
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
from PIL import Image

FRAMEPACK_FPS = 30


@dataclass(frozen=True)
class Shape:
    width: int
    height: int
    frames: int = 1
    batch: int = 1


class GraphReader:
    """Answers "how big / how long / which seed" for links of one prompt."""

    def __init__(self, prompt: dict[str, Any], input_dir: Path) -> None:
        self.prompt = prompt
        self.input_dir = input_dir

    def node(self, link: list[Any]) -> tuple[str, dict[str, Any]]:
        node_id = str(link[0])
        return node_id, self.prompt[node_id]

    def value(self, inputs: dict[str, Any], name: str, default: Any) -> Any:
        value = inputs.get(name, default)
        return self.int_of(value) if isinstance(value, list) else value

    def int_of(self, link: list[Any]) -> int:
        """Value of an INT output (FramePackFindNearestBucket's width/height)."""
        _, node = self.node(link)
        if node["class_type"] == "FramePackFindNearestBucket":
            shape = self.shape(node["inputs"]["image"])
            base = int(node["inputs"].get("base_resolution", 640))
            scale = math.sqrt(base * base / max(1, shape.width * shape.height))
            size = (round(shape.width * scale / 16) * 16, round(shape.height * scale / 16) * 16)
            return int(size[link[1]])
        return 64

    def shape(self, link: list[Any]) -> Shape:
        """Width, height, frames and batch of an IMAGE or LATENT output."""
        node_id, node = self.node(link)
        kind, inputs = node["class_type"], node["inputs"]
        if kind == "EmptyLatentImage":
            return Shape(
                int(inputs["width"]) // 8 * 8, int(inputs["height"]) // 8 * 8, 1, int(inputs.get("batch_size", 1))
            )
        if kind == "LoadImage":
            with Image.open(self.input_dir / str(inputs["image"]).split(" [")[0]) as image:
                return Shape(image.width, image.height)
        if kind in ("ImageScale", "ImageScaleBy"):
            source = self.shape(inputs["image"])
            return Shape(
                int(self.value(inputs, "width", source.width)) or source.width,
                int(self.value(inputs, "height", source.height)) or source.height,
                source.frames,
                source.batch,
            )
        if kind in ("LTXVImgToVideo", "WanImageToVideo", "EmptyLTXVLatentVideo"):
            return Shape(
                int(inputs["width"]), int(inputs["height"]), int(inputs["length"]), int(inputs.get("batch_size", 1))
            )
        if kind == "FramePackSampler":
            start = self.shape(inputs["start_latent"])
            return Shape(start.width, start.height, max(1, round(float(inputs["total_second_length"]) * FRAMEPACK_FPS)))
        if kind == "ImageBatch":
            first, second = self.shape(inputs["image1"]), self.shape(inputs["image2"])
            return Shape(first.width, first.height, 1, first.batch + second.batch)
        for name in ("samples", "pixels", "latent_image", "image", "images", "start_latent", "latent"):
            if isinstance(inputs.get(name), list):
                return self.shape(inputs[name])
        raise ValueError(f"fake ComfyUI cannot size node {node_id} ({kind})")

    def seed(self, node_id: str, seen: set[str] | None = None) -> int:
        """The first seed found upstream (KSampler.seed, SamplerCustom.noise_seed, FramePackSampler.seed)."""
        seen = seen if seen is not None else set()
        if node_id in seen:
            return 0
        seen.add(node_id)
        inputs = self.prompt[node_id]["inputs"]
        for name in ("seed", "noise_seed"):
            if isinstance(inputs.get(name), int | float):
                return int(inputs[name])
        for value in inputs.values():
            if isinstance(value, list) and len(value) == 2 and str(value[0]) in self.prompt:
                found = self.seed(str(value[0]), seen)
                if found:
                    return found
        return 0

    def init_image(self, node_id: str) -> tuple[Path, float] | None:
        """The picture an img2img sampler upstream starts from (``latent_image`` ← VAEEncode ← … ← LoadImage)."""
        for upstream_id in self.upstream(node_id):
            inputs = self.prompt[upstream_id]["inputs"]
            latent = inputs.get("latent_image")
            if self.prompt[upstream_id]["class_type"] != "KSampler" or not isinstance(latent, list):
                continue
            _, encoder = self.node(latent)
            if encoder["class_type"] != "VAEEncode":
                return None
            link = encoder["inputs"]["pixels"]
            while True:
                _, node = self.node(link)
                if node["class_type"] == "LoadImage":
                    return self.input_dir / str(node["inputs"]["image"]).split(" [")[0], float(inputs["denoise"])
                link = node["inputs"]["image"]
        return None

    def upstream(self, node_id: str) -> list[str]:
        """``node_id`` and every node it depends on, nearest first."""
        order, queue = [node_id], [node_id]
        while queue:
            for value in self.prompt[queue.pop(0)]["inputs"].values():
                linked = str(value[0]) if isinstance(value, list) and len(value) == 2 else None
                if linked in self.prompt and linked not in order:
                    order.append(linked)
                    queue.append(linked)
        return order

    def seconds(self, link: list[Any]) -> float:
        """Length of an AUDIO/LATENT audio output (EmptyAceStepLatentAudio.seconds)."""
        _, node = self.node(link)
        if node["class_type"] == "EmptyAceStepLatentAudio":
            return float(node["inputs"]["seconds"])
        for value in node["inputs"].values():
            if isinstance(value, list) and len(value) == 2:
                with_seconds = self.seconds(value)
                if with_seconds:
                    return with_seconds
        return 0.0


def next_path(output_dir: Path, prefix: str, extension: str, *, trailing: str = "_") -> tuple[Path, str, str]:
    """ComfyUI's ``get_save_image_path``: ``<subfolder>/<name>_<counter:05><trailing>.<ext>``."""
    subfolder, _, name = prefix.rpartition("/")
    folder = (output_dir / subfolder).resolve()
    if not folder.is_relative_to(output_dir.resolve()):
        raise ValueError("Saving image outside the output folder is not allowed.")
    folder.mkdir(parents=True, exist_ok=True)
    pattern = re.compile(re.escape(name) + r"_(\d+)")
    used = [int(m.group(1)) for f in folder.iterdir() if (m := pattern.match(f.name))]
    filename = f"{name}_{max(used, default=0) + 1:05}{trailing}.{extension}"
    return folder / filename, filename, subfolder


def background(width: int, height: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seed-coloured gradient and the colour of the moving bar."""
    base = np.random.default_rng(seed % 2**32).integers(40, 200, size=3)
    xs = np.linspace(0, 55, width)[None, :, None]
    ys = np.linspace(0, 30, height)[:, None, None]
    return np.clip(base[None, None, :] + xs + ys, 0, 255).astype(np.uint8), (255 - base).astype(np.uint8)


def frame(
    width: int, height: int, seed: int, index: int, count: int, cached: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """The gradient with a bar that moves from left to right across the frames."""
    image, bar = cached if cached is not None else background(width, height, seed)
    image = image.copy()
    bar_width = max(2, width // 8)
    x = int((width - bar_width) * (index / max(1, count - 1)))
    image[height // 3 : 2 * height // 3, x : x + bar_width] = bar
    return image


def write_png(path: Path, shape: Shape, seed: int, index: int = 0, init: tuple[Path, float] | None = None) -> None:
    """A seed-coloured picture; img2img keeps ``1 - denoise`` of the init image, as a sampler roughly does."""
    pixels = frame(shape.width, shape.height, seed + index, 0, 1)
    if init is not None:
        path_in, denoise = init
        with Image.open(path_in) as source:
            start = np.asarray(source.convert("RGB").resize((shape.width, shape.height)), dtype=np.float32)
        pixels = np.clip(np.rint((1 - denoise) * start + denoise * pixels), 0, 255).astype(np.uint8)
    Image.fromarray(pixels).save(path, format="PNG")


def write_video(path: Path, shape: Shape, seed: int, fps: float, args: list[str]) -> None:
    """Pipe raw frames into the bundled ffmpeg with the given encoder arguments."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24"]
    command += ["-s", f"{shape.width}x{shape.height}", "-r", f"{fps:g}", "-i", "-", *args, str(path)]
    cached = background(shape.width, shape.height, seed)
    frames = b"".join(
        frame(shape.width, shape.height, seed, i, shape.frames, cached).tobytes() for i in range(shape.frames)
    )
    subprocess.run(command, input=frames, check=True, capture_output=True)


def write_audio(path: Path, seconds: float, seed: int, args: list[str]) -> None:
    """A stereo 44.1 kHz chord for ``seconds``, encoded by ffmpeg (FLAC, MP3 or Opus)."""
    rate = 44100
    t = np.arange(int(seconds * rate)) / rate
    root = 110 * 2 ** ((seed % 12) / 12)
    left = sum(np.sin(2 * np.pi * root * ratio * t) for ratio in (1, 1.25, 1.5)) / 4
    right = sum(np.sin(2 * np.pi * root * ratio * t + 0.3) for ratio in (1, 1.25, 1.5)) / 4
    pcm = (np.stack([left, right], axis=1) * 32767 * 0.8).astype("<i2")
    wav = path.with_suffix(".tmp.wav")
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-i", str(wav), *args, str(path)]
    try:
        subprocess.run(command, check=True, capture_output=True)
    finally:
        wav.unlink(missing_ok=True)


VHS_FORMATS: dict[str, tuple[str, list[str]]] = {
    "video/h264-mp4": ("mp4", ["-c:v", "libx264", "-preset", "ultrafast"]),
    "video/webm": ("webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]),
    "image/gif": ("gif", []),
}
AUDIO_FORMATS: dict[str, tuple[str, list[str]]] = {
    "SaveAudio": ("flac", ["-c:a", "flac"]),
    "SaveAudioMP3": ("mp3", ["-c:a", "libmp3lame", "-q:a", "2"]),
    "SaveAudioOpus": ("opus", ["-c:a", "libopus", "-b:a", "128k"]),
}


def render_output(
    node_id: str, node: dict[str, Any], graph: GraphReader, output_dir: Path, temp_dir: Path
) -> dict[str, Any] | None:
    """Write the files of one output node; returns its ``ui`` dict (what history shows)."""
    kind, inputs = node["class_type"], node["inputs"]
    seed = graph.seed(node_id)
    if kind in ("SaveImage", "PreviewImage"):
        return _images(
            node_id,
            inputs,
            graph,
            output_dir if kind == "SaveImage" else temp_dir,
            seed,
            "output" if kind == "SaveImage" else "temp",
        )
    if kind == "SaveVideo":
        _, video = graph.node(inputs["video"])
        shape, fps = graph.shape(video["inputs"]["images"]), float(video["inputs"].get("fps", 30))
        path, filename, subfolder = next_path(output_dir, str(inputs["filename_prefix"]), "mp4")
        write_video(path, shape, seed, fps, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"])
        return {"images": [{"filename": filename, "subfolder": subfolder, "type": "output"}], "animated": [True]}
    if kind == "VHS_VideoCombine":
        return _vhs(inputs, graph, output_dir, seed)
    if kind in AUDIO_FORMATS:
        extension, args = AUDIO_FORMATS[kind]
        path, filename, subfolder = next_path(output_dir, str(inputs["filename_prefix"]), extension)
        write_audio(path, graph.seconds(inputs["audio"]) or 1.0, seed, args)
        return {"audio": [{"filename": filename, "subfolder": subfolder, "type": "output"}]}
    return None


def _images(
    node_id: str, inputs: dict[str, Any], graph: GraphReader, folder: Path, seed: int, kind: str
) -> dict[str, Any]:
    shape = graph.shape(inputs["images"])
    prefix = str(inputs.get("filename_prefix", "ComfyUI"))
    results = []
    init = graph.init_image(node_id)
    for index in range(shape.batch * shape.frames):
        path, filename, subfolder = next_path(folder, prefix, "png")
        write_png(path, shape, seed, index, init)
        results.append({"filename": filename, "subfolder": subfolder, "type": kind})
    return {"images": results}


def _vhs(inputs: dict[str, Any], graph: GraphReader, output_dir: Path, seed: int) -> dict[str, Any]:
    shape, fps = graph.shape(inputs["images"]), float(inputs["frame_rate"])
    video_format = str(inputs["format"])
    extension, args = VHS_FORMATS.get(video_format, VHS_FORMATS["video/h264-mp4"])
    if extension in ("mp4", "webm"):
        args = [*args, "-pix_fmt", str(inputs.get("pix_fmt", "yuv420p")), "-crf", str(inputs.get("crf", 19))]
    path, filename, subfolder = next_path(output_dir, str(inputs["filename_prefix"]), extension, trailing="")
    write_video(path, shape, seed, fps, args)
    workflow_png = path.with_suffix(".png")
    write_png(workflow_png, Shape(shape.width, shape.height), seed)
    entry = {"filename": filename, "subfolder": subfolder, "type": "output", "format": video_format, "frame_rate": fps}
    return {"gifs": [{**entry, "workflow": workflow_png.name, "fullpath": str(path)}]}
