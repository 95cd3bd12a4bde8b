"""The local LoRA trainer (diffusers + peft); nothing here imports torch until a run or a status asks."""
