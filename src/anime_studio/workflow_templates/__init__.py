"""workflow_templates domain: studio-uploaded ComfyUI API workflows with marked inputs."""
