/** Plain factories for API objects (only the fields a test cares about need passing). */
import type { Asset, Run, SceneDetail, Shot } from '@/api/types'

export function asset(id: number, fields: Partial<Asset> = {}): Asset {
  return {
    id,
    project_id: 1,
    character_id: 1,
    scene_id: null,
    shot_id: null,
    episode_id: null,
    run_id: null,
    source_asset_id: null,
    kind: 'image',
    status: 'pending',
    path: `datasets/show/mika/images/${id}.png`,
    mime: 'image/png',
    width: 512,
    height: 288,
    duration: null,
    size_bytes: 1000,
    quality_score: 0.9,
    created_at: '2026-01-01T00:00:00Z',
    file_url: `/api/lora/assets/${id}/file`,
    thumbnail_url: `/api/lora/assets/${id}/thumbnail`,
    ...fields,
  }
}

export function run(id: number, fields: Partial<Run> = {}): Run {
  return {
    id,
    kind: 'scene.generate',
    status: 'queued',
    progress: 0,
    message: 'waiting for a worker',
    project_id: 1,
    subject_type: 'scene',
    subject_id: 1,
    params: {},
    result: {},
    error: null,
    attempts: 0,
    max_attempts: 3,
    queue: 'studio',
    job_id: 1,
    worker: null,
    cancel_requested: false,
    created_at: '2026-01-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    updated_at: '2026-01-01T00:00:00Z',
    ...fields,
  }
}

export function shot(id: number, position: number, fields: Partial<Shot> = {}): Shot {
  return {
    id,
    scene_id: 1,
    position,
    source_image_path: null,
    motion_prompt: '',
    shot_type: 'medium',
    camera_angle: 'eye_level',
    duration: 2,
    dialogue_text: '',
    dialogue_character_id: null,
    characters: [],
    transition_type: 'dissolve',
    transition_duration: 0.3,
    status: 'pending',
    output_path: null,
    last_frame_path: null,
    keyframe_path: null,
    quality_score: null,
    attempts: 0,
    seed: null,
    steps: null,
    error: null,
    generation_time: null,
    generated_at: null,
    ...fields,
  }
}

export function scene(id: number, shots: Shot[], fields: Partial<SceneDetail> = {}): SceneDetail {
  return {
    id,
    project_id: 1,
    scene_number: id,
    title: `Scene ${id}`,
    description: '',
    location: '',
    time_of_day: '',
    weather: '',
    mood: '',
    continuity: 'chain',
    status: 'draft',
    output_path: null,
    subtitles_path: null,
    dialogue_audio_path: null,
    music_path: null,
    music: {},
    duration: null,
    generation: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    total_shots: shots.length,
    completed_shots: 0,
    shots,
    ...fields,
  }
}
