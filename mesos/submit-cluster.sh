#!/usr/bin/env bash
# Cluster mode through the MesosClusterDispatcher (marathon/mesos-dispatcher.json): the dispatcher launches the
# driver on an agent and relaunches it when it exits non-zero (--supervise). One supervised driver, no standby:
# a relaunch takes the next epoch and resumes from the checkpoint, so failover is slower than with Marathon's two
# instances. Usage: submit-cluster.sh JAR_URL [--set key=value ...]; the properties file must be at a URL the
# agents can fetch (spark.mesos.uris) or on every agent.
set -euo pipefail
: "${SPARK_HOME:?SPARK_HOME must point at a Spark 3.5 distribution with Mesos support}"
# Mesos-DNS's name of the Marathon app /sluice/spark-mesos-dispatcher, and its fixed submission port
DISPATCHER="${DISPATCHER:-mesos://spark-mesos-dispatcher-sluice.marathon.mesos:31077}"
JAR_URL="${1:?usage: submit-cluster.sh JAR_URL [--set key=value ...]}"
shift
PROPS="$(dirname "$0")/sluice-mesos.properties"
exec "$SPARK_HOME/bin/spark-submit" \
  --class io.sluice.driver.SluiceDriver \
  --master "$DISPATCHER" \
  --deploy-mode cluster \
  --supervise \
  --properties-file "$PROPS" \
  --conf spark.mesos.uris="${PROPS_URL:-https://artifacts.example.com/sluice/sluice-mesos.properties}" \
  "$JAR_URL" --config sluice-mesos.properties "$@"
