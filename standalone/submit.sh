#!/usr/bin/env bash
# Sluice on a Spark standalone cluster: the counterpart of mesos/submit-client.sh and mesos/submit-cluster.sh, with
# the same class, properties and arguments; only the master differs (and the Mesos keys are absent from the file).
#   submit.sh client  [--set key=value ...]   the driver runs in this process: supervise it yourself (Marathon,
#                                              systemd, a Kubernetes Deployment), two instances elect a leader
#   submit.sh cluster [--set key=value ...]   a worker runs the driver; the master relaunches it when it exits
#                                              non-zero or its worker is lost (--supervise). The properties file
#                                              must be at the same path on every worker (or on a shared mount).
# ./bin/sluice submit does the same against the local cluster of ./bin/sluice cluster up.
set -euo pipefail
: "${SPARK_HOME:?SPARK_HOME must point at a Spark 3.5 distribution (or testkit/runtimes/spark/target/spark-home)}"
: "${SPARK_MASTER:?SPARK_MASTER must be spark://m1:7077,m2:7077}"
MODE="${1:?usage: submit.sh client|cluster [--set key=value ...]}"
shift
JAR="${SLUICE_JAR:-sluice-driver-0.1.0-SNAPSHOT-app.jar}"
PROPS="${SLUICE_PROPERTIES:-$(cd "$(dirname "$0")" && pwd)/sluice-standalone.properties}"
SUPERVISE=()
[ "$MODE" = cluster ] && SUPERVISE=(--supervise)
exec "$SPARK_HOME/bin/spark-submit" \
  --class io.sluice.driver.SluiceDriver \
  --master "$SPARK_MASTER" \
  --deploy-mode "$MODE" \
  "${SUPERVISE[@]}" \
  --properties-file "$PROPS" \
  --driver-java-options "$(grep '^spark.driver.extraJavaOptions=' "$PROPS" | cut -d= -f2-)" \
  "$JAR" --config "$PROPS" "$@"
