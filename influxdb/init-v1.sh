#!/bin/sh
# Runs once, when the influxdb container initialises its data volume (after the org, bucket and token of
# DOCKER_INFLUXDB_INIT_* exist; the image's entrypoint also exports DOCKER_INFLUXDB_INIT_BUCKET_ID to such scripts):
# maps the v1 database of the bucket's name to the bucket, so InfluxQL (Grafana's queries) reads what CrmPulse writes
# through /api/v2/write.
set -eu
influx v1 dbrp create \
  --org "$DOCKER_INFLUXDB_INIT_ORG" \
  --bucket-id "$DOCKER_INFLUXDB_INIT_BUCKET_ID" \
  --db "$DOCKER_INFLUXDB_INIT_BUCKET" \
  --rp autogen \
  --default
