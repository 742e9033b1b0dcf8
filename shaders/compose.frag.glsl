// Compose pass (into an offscreen buffer at display size): the model's frame scaled to the display with a
// Catmull-Rom bicubic filter and the chosen aspect mapping, then feedback trails and the scene crossfade.
// Colour post and blackout happen in present.frag.glsl, so the trails buffer holds the picture itself.
precision highp float;
varying vec2 uv;
uniform sampler2D frame;      // model resolution, NEAREST filtering: the filter below does the interpolation
uniform vec2 frameSize;       // texels
uniform float hasFrame;       // 0 until the first frame arrived
uniform vec2 uvScale;         // display uv -> frame uv (aspect fit / fill / stretch), computed on resize
uniform vec2 uvOffset;
uniform sampler2D previous;   // last composed picture (display size) for trails
uniform float trails;         // 0 = none .. 0.98 = long trails
uniform sampler2D snapshot;   // last picture of the previous scene
uniform float fade;           // post.crossfade: 0 = the new picture, 1 = the old scene's last picture

vec4 texel(vec2 ij) {
  // Texel centres; CLAMP_TO_EDGE repeats the border outside the image.
  return texture2D(frame, (ij + 0.5) / frameSize);
}

// Catmull-Rom (a = -0.5) weights for the four taps around the sample point.
vec4 catmullRom(float f) {
  return vec4(
    f * (-0.5 + f * (1.0 - 0.5 * f)),
    1.0 + f * f * (-2.5 + 1.5 * f),
    f * (0.5 + f * (2.0 - 1.5 * f)),
    f * f * (-0.5 + 0.5 * f));
}

vec4 bicubic(vec2 st) {
  vec2 p = st * frameSize - 0.5;
  vec2 i = floor(p);
  vec2 f = p - i;
  vec4 wx = catmullRom(f.x);
  vec4 wy = catmullRom(f.y);
  vec4 c = vec4(0.0);
  for (int y = 0; y < 4; y++) {
    vec4 row = wx.x * texel(i + vec2(-1.0, float(y) - 1.0))
             + wx.y * texel(i + vec2( 0.0, float(y) - 1.0))
             + wx.z * texel(i + vec2( 1.0, float(y) - 1.0))
             + wx.w * texel(i + vec2( 2.0, float(y) - 1.0));
    float w = y == 0 ? wy.x : y == 1 ? wy.y : y == 2 ? wy.z : wy.w;
    c += w * row;
  }
  return clamp(c, 0.0, 1.0); // Catmull-Rom overshoots at edges
}

void main() {
  vec2 st = uv * uvScale + uvOffset;
  // Rows arrive top-first and land at t = 0, so the frame's top is at st.y = 0: flip.
  st.y = 1.0 - st.y;
  float inside = step(0.0, st.x) * step(st.x, 1.0) * step(0.0, st.y) * step(st.y, 1.0);
  vec3 picture = bicubic(st).rgb * inside * hasFrame;
  vec3 prev = texture2D(previous, uv).rgb;
  vec3 c = mix(picture, prev, clamp(trails, 0.0, 0.98));
  c = mix(c, texture2D(snapshot, uv).rgb, clamp(fade, 0.0, 1.0));
  gl_FragColor = vec4(c, 1.0);
}
