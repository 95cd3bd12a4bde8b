"""Event names. The first block is the specification's; the rest are the studio's own."""

IMAGE_APPROVED = "image.approved"
IMAGE_REJECTED = "image.rejected"
GENERATION_SUBMITTED = "generation.submitted"
GENERATION_COMPLETED = "generation.completed"
FEEDBACK_RECORDED = "feedback.recorded"
REGENERATION_QUEUED = "regeneration.queued"

RUN_QUEUED = "run.queued"
RUN_STARTED = "run.started"
RUN_PROGRESS = "run.progress"
RUN_FINISHED = "run.finished"

PROJECT_CHANGED = "project.changed"
SCENE_UPDATED = "scene.updated"
EPISODE_UPDATED = "episode.updated"
CHARACTER_CHANGED = "character.changed"
QUALITY_DRIFT = "quality.drift"

SPEC_EVENTS = (
    IMAGE_APPROVED,
    IMAGE_REJECTED,
    GENERATION_SUBMITTED,
    GENERATION_COMPLETED,
    FEEDBACK_RECORDED,
    REGENERATION_QUEUED,
)

LORA_PROGRESS = "lora.progress"
LORA_EPOCH = "lora.epoch"
LORA_PROMOTED = "lora.promoted"
REVIEW_UPDATED = "review.updated"
REVIEW_COMMENTED = "review.commented"
