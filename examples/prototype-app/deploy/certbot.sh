#!/bin/bash
# Get the SSL cert. certbot needs port 80 so stop nginx first.
sudo systemctl stop nginx
sudo certbot certonly --standalone -d projects.example.org --email admin@projects.example.org --agree-tos -n
sudo systemctl start nginx

# renewal: add this to root's crontab
# 0 3 * * * certbot renew --quiet
