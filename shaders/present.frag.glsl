// Present pass (to the screen): colour post and the panic blackout on the composed picture.
precision highp float;
varying vec2 uv;
uniform sampler2D composed;
uniform float brightness;     // added, -1..1 (0 = unchanged)
uniform float contrast;       // around mid-grey (1 = unchanged)
uniform float hueShift;       // turns (1 = a full turn round the colour wheel)
uniform float blackout;       // 1 = black

// Hue rotation in YIQ: luma stays, the chroma plane (I, Q) turns.
vec3 rotateHue(vec3 rgb, float turns) {
  const mat3 toYIQ = mat3(0.299, 0.596, 0.211, 0.587, -0.274, -0.523, 0.114, -0.322, 0.312);
  const mat3 toRGB = mat3(1.0, 1.0, 1.0, 0.956, -0.272, -1.106, 0.621, -0.647, 1.703);
  vec3 yiq = toYIQ * rgb;
  float a = turns * 6.28318530718;
  float cs = cos(a);
  float sn = sin(a);
  yiq.yz = vec2(yiq.y * cs - yiq.z * sn, yiq.y * sn + yiq.z * cs);
  return toRGB * yiq;
}

void main() {
  vec3 c = texture2D(composed, uv).rgb;
  if (hueShift != 0.0) c = rotateHue(c, hueShift);
  c = (c - 0.5) * contrast + 0.5 + brightness;
  c = clamp(c, 0.0, 1.0) * (1.0 - clamp(blackout, 0.0, 1.0));
  gl_FragColor = vec4(c, 1.0);
}
