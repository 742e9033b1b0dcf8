/**
 * One scene model: the scenes are the mapping's named section sets, in file order (`sections.sets`), recalled by
 * name or index from OSC, ws, MIDI program change or a route. A recall is checked against that list here, so an
 * unknown name or an index past the end is refused with the list instead of being clamped or ignored silently.
 */
import { closestName } from '../didYouMean.js';

/** Hands the scene back to the automatic `section.position`. */
export const AUTO_SCENE = 'auto';

export type SceneResolution = { ok: true; scene: string; index: number } | { ok: false; error: string };

/** `0 intro, 1 main, 2 drop` */
export function listScenes(names: readonly string[]): string {
  return names.map((n, i) => `${i} ${n}`).join(', ');
}

/**
 * The scene a recall means among `names`: its name and index (`auto` is index −1). Unknown names and indices out
 * of range are errors that list the scenes.
 */
export function resolveScene(scene: number | string, names: readonly string[]): SceneResolution {
  if (scene === AUTO_SCENE) return { ok: true, scene: AUTO_SCENE, index: -1 };
  const scenes = names.length > 0 ? `scenes: ${listScenes(names)} (or '${AUTO_SCENE}')` : "the mapping has no scenes (declare them under 'sections: sets:')";
  if (typeof scene === 'number') {
    if (!Number.isInteger(scene) || scene < 0) return { ok: false, error: `scene must be a name or an index ≥ 0, got ${scene}; ${scenes}` };
    if (scene >= names.length) return { ok: false, error: `scene ${scene} is out of range: ${names.length} scene${names.length === 1 ? '' : 's'}; ${scenes}` };
    return { ok: true, scene: names[scene]!, index: scene };
  }
  const index = names.indexOf(scene);
  if (index >= 0) return { ok: true, scene, index };
  const near = closestName(scene, names);
  return { ok: false, error: `unknown scene '${scene}'${near ? `; did you mean '${near}'?` : ''}; ${scenes}` };
}
