#!/bin/sh
# busybox httpd runs this for "/" and passes its own environment (NAME from the image's ENV).
printf 'Content-Type: text/plain\r\n\r\n'
echo "Hello ${NAME:-world}! Hostname: $(hostname)"
