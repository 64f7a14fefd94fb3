"""Video: the stills read as pictures, frames encoded and decoded by ffmpeg, loops closed, the output kinds.

picture.py   a still image file: its real size from the header, a safe reduced decode, its content hash
media.py     ffmpeg (the binary imageio-ffmpeg ships): encode, decode, probe
loops.py     a clip's end made to meet its start (crossfade, ping-pong)
yuv.py       frames as the encoders take them (I420)
outputs.py   the kinds of web animation, one line each
"""
