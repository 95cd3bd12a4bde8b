"""Settings: every knob of the studio, read from ``ANIME_STUDIO_*`` environment variables or ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

MiB = 1024 * 1024


def _default_data_dir() -> Path:
    return platformdirs.user_data_path("anime-studio", appauthor=False)


class Settings(BaseSettings):
    """The studio's configuration; the README's configuration table mirrors these fields."""

    model_config = SettingsConfigDict(env_prefix="ANIME_STUDIO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = Field(default=None, repr=False)
    media_root: Path | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8401, ge=1, le=65535)
    root_path: str = ""
    ui_dir: Path | None = None

    max_json_body: int = Field(default=2 * MiB, ge=1024)
    max_upload_body: int = Field(default=200 * MiB, ge=1024)
    session_ttl_hours: int = Field(default=24 * 14, ge=1)
    cookie_secure: bool = Field(
        default=False, description="always mark cookies Secure (they are anyway when a request arrives over HTTPS)"
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1", description="proxies whose X-Forwarded-For/-Proto are trusted (comma-separated, or *)"
    )
    login_free_failures: int = Field(default=3, ge=1, description="failed logins per account before delays start")
    login_lockout_failures: int = Field(default=10, ge=2, description="failed logins that lock an account")
    login_address_free_failures: int = Field(default=10, ge=1)
    login_address_lockout_failures: int = Field(default=50, ge=2)
    events_recheck_seconds: float = Field(
        default=10.0, gt=0, description="how often an open event stream re-checks that its credentials still hold"
    )
    login_lockout_minutes: float = Field(default=15, gt=0, description="how long a lockout lasts")

    worker_concurrency: int = Field(default=2, ge=1, le=64)
    embedded_worker: bool = Field(default=True, description="serve also runs a worker in-process")
    worker_heartbeat_interval: float = Field(default=5.0, gt=0)
    worker_stalled_after: float = Field(default=30.0, gt=0, description="seconds without heartbeat = dead worker")
    worker_recovery_interval: float = Field(default=10.0, gt=0)
    worker_shutdown_grace: float = Field(default=5.0, ge=0)
    job_retry_base_seconds: int = Field(default=3, ge=0)

    # Engines: which implementation each kind uses (embedded CPU defaults first).
    image_engine: Literal["storyboard", "comfyui"] = "storyboard"
    video_engine: Literal["kenburns", "framepack", "ltxv", "wan"] = "kenburns"
    vision_engine: Literal["heuristic", "ollama", "openai"] = "heuristic"
    llm_engine: Literal["rules", "ollama", "openai"] = "rules"
    tts_engine: Literal["espeak"] = "espeak"
    music_engine: Literal["synth", "acestep", "comfyui-ace"] = "synth"
    publish_engine: Literal["folder", "jellyfin"] = "folder"
    embedding_engine: Literal["wordllama", "hashing", "ollama", "openai"] = "wordllama"
    training_engine: Literal["comfyui", "diffusers"] = "comfyui"
    lora_min_images: int = Field(default=10, ge=1, description="approved images a LoRA training needs at least")
    """LoRA training: ``comfyui`` trains on a backend of ``comfyui_urls`` with ComfyUI's own training nodes;
    ``diffusers`` trains on this worker's GPU (the ``train`` extra)."""
    memory_store: Literal["pgvector", "qdrant"] = "pgvector"
    """Where project memory keeps its vectors: the studio database (pgvector) or Qdrant."""
    qdrant_url: str = ""
    """A Qdrant server (``http://host:6333``); empty runs Qdrant's local mode in ``data_dir/qdrant``."""
    qdrant_api_key: str = ""
    transcribe_engine: Literal["pocketsphinx", "openai"] = "pocketsphinx"

    storyboard_font: Path | None = None
    """TTF/OTF/TTC named in the storyboard's provenance as its annotation font (checked at start-up). Panels
    carry no burned-in text any more (annotations travel as PNG parameters), so nothing is drawn with it."""
    kenburns_preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"] = "veryfast"
    kenburns_crf: int = Field(default=18, ge=0, le=51)

    comfyui_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    comfyui_timeout: float = Field(default=1800.0, gt=0)
    comfyui_scheduler: Literal["queue", "local"] = Field(
        default="queue",
        description="queue: one durable job queue per backend shared by all workers; local: in-process only",
    )
    comfyui_poll_interval: float = Field(default=2.0, gt=0, le=60)
    comfyui_default_checkpoint: str = ""
    comfyui_image_template: str = ""
    comfyui_video_output: Literal["auto", "vhs", "core"] = "auto"
    comfyui_framepack_model: str = "FramePackI2V_HY_fp8_e4m3fn.safetensors"
    comfyui_ltxv_checkpoint: str = "ltx-video-2b-v0.9.5.safetensors"
    comfyui_wan_model: str = "wan2.1_i2v_480p_14B_fp16.safetensors"
    comfyui_ace_checkpoint: str = "ace_step_v1_3.5b.safetensors"
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_vision_model: str = "gemma3:12b"
    ollama_chat_model: str = "gemma3:12b"
    ollama_embed_model: str = "nomic-embed-text"
    ollama_timeout: float = Field(default=180.0, gt=0)
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_api_key: str = Field(default="", repr=False)
    openai_vision_model: str = "gpt-4o-mini"
    openai_chat_model: str = "gpt-4o-mini"
    openai_embed_model: str = "text-embedding-3-small"
    openai_transcribe_model: str = "whisper-1"
    openai_timeout: float = Field(default=120.0, gt=0)
    embedding_dimensions: int | None = Field(default=None, ge=8, le=8192)
    """Ask remote embedders for vectors of this size (OpenAI ``dimensions``); ``None`` keeps the model's own."""
    acestep_url: str = "http://127.0.0.1:8440"
    acestep_api_key: str = Field(default="", repr=False)
    acestep_model: str = "acestep-v15-turbo"
    """The model the ACE-Step server runs; it names cached tracks, so change it when the server's model changes."""
    acestep_timeout: float = Field(default=900.0, gt=0)
    """Longest wait for one ACE-Step task (queue + generation), in seconds."""
    acestep_poll_interval: float = Field(default=1.0, gt=0)
    itunes_url: str = "https://itunes.apple.com"
    """The iTunes Search API (``/search``, ``/lookup``) for Apple Music track assignment."""
    itunes_country: str = Field(default="US", pattern=r"^[A-Za-z]{2}$")
    itunes_timeout: float = Field(default=15.0, gt=0)
    jellyfin_url: str = "http://127.0.0.1:8096"
    jellyfin_token: str = Field(default="", repr=False)
    jellyfin_path_map: str = ""
    """``ours=theirs`` (comma-separated pairs) when Jellyfin sees the library under another path."""
    library_dir: Path | None = None

    # The local LoRA trainer (training_engine=diffusers; needs the `train` extra, a GPU for real work).
    training_checkpoints_dir: Path | None = None
    """Single-file SD1.5/SDXL checkpoints the local trainer may use (default ``{data_dir}/models/checkpoints``)."""
    training_components_dir: Path | None = None
    """Tokenizers (and optional config overrides) per family: ``{dir}/sd15/tokenizer/``, ``{dir}/sdxl/tokenizer_2/``;
    a folder named after the checkpoint, beside it, is looked in first."""
    training_device: str = Field(default="auto", pattern=r"^(auto|cpu|cuda|cuda:\d+|mps)$")
    training_mixed_precision: Literal["no", "fp16", "bf16"] = Field(
        default="fp16", description="precision of the frozen weights on a GPU (the CPU always trains in float32)"
    )
    training_text_encoder: bool = Field(default=True, description="train LoRA layers in the text encoder(s) too")
    training_gradient_checkpointing: bool = Field(default=False, description="less GPU memory, ~20% slower (SDXL)")

    # Vault (optional, ``pip install anime-studio[vault]``): database URL and engine tokens from KV v2.
    vault_addr: str = ""
    vault_token: str = Field(default="", repr=False)
    vault_role_id: str = ""
    vault_secret_id: str = Field(default="", repr=False)
    vault_mount: str = "secret"
    vault_path: str = "anime-studio"
    vault_namespace: str = ""
    vault_timeout: float = Field(default=10.0, gt=0)
    vault_refresh_seconds: float = Field(default=300.0, gt=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        from anime_studio.vault import VaultSettingsSource

        init = init_settings.init_kwargs if isinstance(init_settings, InitSettingsSource) else {}
        vault = VaultSettingsSource(settings_cls, env_settings, dotenv_settings, init=init)
        return init_settings, vault, env_settings, dotenv_settings, file_secret_settings

    @field_validator("comfyui_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        """Accept a comma-separated string (``http://a:8188,http://b:8188``) as well as a list."""
        if isinstance(value, str):
            return [url.strip().rstrip("/") for url in value.split(",") if url.strip()]
        return value

    @field_validator("root_path")
    @classmethod
    def _normalise_root_path(cls, value: str) -> str:
        value = value.strip()
        if not value or value == "/":
            return ""
        return "/" + value.strip("/")

    @property
    def media_dir(self) -> Path:
        """Root folder of every file the studio writes (datasets, outputs, uploads)."""
        return (self.media_root or self.data_dir / "media").resolve()

    @property
    def publish_dir(self) -> Path:
        """The media library episodes are published into (Jellyfin/Kodi layout)."""
        return (self.library_dir or self.data_dir / "library").resolve()

    @property
    def training_checkpoints(self) -> Path:
        return (self.training_checkpoints_dir or self.data_dir / "models" / "checkpoints").resolve()

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
