#!/bin/sh
# Runs once, when the influxdb container initialises its data volume (after the org, bucket and token of
# DOCKER_INFLUXDB_INIT_* exist): maps the v1 database "$INFLUXDB_BUCKET" to the bucket, so InfluxQL (Grafana's queries)
# reads what CrmPulse writes through /api/v2/write.
set -eu
bucket_id=$(influx bucket list --org "$DOCKER_INFLUXDB_INIT_ORG" --name "$DOCKER_INFLUXDB_INIT_BUCKET" --hide-headers | cut -f 1)
influx v1 dbrp create --org "$DOCKER_INFLUXDB_INIT_ORG" --db "$DOCKER_INFLUXDB_INIT_BUCKET" --rp autogen \
  --bucket-id "$bucket_id" --default
