// Plain copy (snapshot of the last picture when the scene changes).
precision highp float;
varying vec2 uv;
uniform sampler2D source;
void main() {
  gl_FragColor = texture2D(source, uv);
}
