#!/usr/bin/env bash
# Client mode under Marathon (marathon/sluice-driver.json runs this in the task's sandbox): the driver runs in this
# process, so Marathon supervises it, restarts it with backoff, and runs two instances that elect a leader in
# ZooKeeper. Arguments are the driver's: --config FILE [--set key=value ...].
set -euo pipefail
: "${SPARK_HOME:?SPARK_HOME must point at a Spark 3.5 distribution with Mesos support}"
: "${MESOS_MASTER:?MESOS_MASTER must be mesos://zk://.../mesos}"
JAR="${SLUICE_JAR:-sluice-driver-0.1.0-SNAPSHOT-app.jar}"
PROPS="sluice-mesos.properties"
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--config" ]; then j=$((i + 1)); PROPS="${!j}"; fi
done
exec "$SPARK_HOME/bin/spark-submit" \
  --class io.sluice.driver.SluiceDriver \
  --master "$MESOS_MASTER" \
  --deploy-mode client \
  --properties-file "$PROPS" \
  --driver-java-options "$(grep '^spark.driver.extraJavaOptions=' "$PROPS" | cut -d= -f2-)" \
  "$JAR" "$@"
