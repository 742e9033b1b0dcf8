// One triangle pair covering the viewport; uv is 0..1 with (0,0) at the bottom-left (GL convention).
precision highp float;
attribute vec2 position;
varying vec2 uv;
void main() {
  uv = position * 0.5 + 0.5;
  gl_Position = vec4(position, 0.0, 1.0);
}
