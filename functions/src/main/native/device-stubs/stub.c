/* Empty stand-ins for the sound and X11 libraries that bytedeco's libavdevice links but that
   finishing never calls (no capture or playback devices): their symbols bind lazily, so a
   library with the right name and version nodes is enough for ffmpeg and ffprobe to start. */
void outpaint_device_stub(void) {}
