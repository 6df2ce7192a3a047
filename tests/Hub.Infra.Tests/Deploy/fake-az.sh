#!/usr/bin/env bash
# Stands in for the Azure CLI in the deploy-script tests: Azure cannot be reached from here. It records every call
# (one line per call in $FAKE_AZ_LOG), keeps what it "created" as files in $FAKE_AZ_STATE, answers with canned
# values, and refuses template parameters that $FAKE_AZ_TEMPLATE does not declare, as ARM would.
# $FAKE_AZ_VERSION is the version it claims (default 2.79.0); $FAKE_AZ_HANG names a call ("deployment") that never ends;
# $FAKE_AZ_HUB_URL is the hubUrl output of the deployment; $FAKE_AZ_ACR_TASKS=refused makes 'acr build' fail as ACR
# does for a subscription on free credits (error code TasksOperationsNotAllowed).
set -euo pipefail
printf '%s\n' "$*" >>"$FAKE_AZ_LOG"
state="$FAKE_AZ_STATE"

declared_parameter() { # name
  awk -v wanted="    \"$1\": {" '
    /^  "parameters": \{/ { inside = 1; next }
    /^  "variables": \{/ { inside = 0 }
    inside && $0 == wanted { found = 1 }
    END { exit !found }' "$FAKE_AZ_TEMPLATE"
}

query_output() { # the value of --query properties.outputs.NAME.value
  local name="" previous=""
  for argument in "$@"; do
    [ "$previous" = "--query" ] && name="${argument#properties.outputs.}" && name="${name%.value}"
    previous="$argument"
  done
  case "$name" in
    keyVaultName) echo hubkvfake ;;
    hubSecretKeyName) echo hub-secret-key ;;
    gatewayAppName) echo hub-gateway ;;
    hubUrl) echo "${FAKE_AZ_HUB_URL:-https://hub-gateway.example.test}" ;;
    functionAppName) echo hub-cp-fake ;;
    homesAccountName) echo hubhomesfake ;;
    *) echo "fake az: no canned output $name" >&2; exit 1 ;;
  esac
}

create_deployment() {
  local previous=""
  for argument in "$@"; do
    if [ "$previous" = "--template-file" ] && [ "$argument" != "$FAKE_AZ_TEMPLATE" ]; then
      echo "fake az: deployed $argument instead of the repository's template" >&2; exit 1
    fi
    if [ "$previous" = "--parameters" ] || [[ "$previous" == *=* && "$argument" == *=* ]]; then
      case "$argument" in
        @*) [ -f "${argument#@}" ] || { echo "fake az: no parameters file ${argument#@}" >&2; exit 1; }
            grep -q '"hubSecretKey"' "${argument#@}" && echo "secret parameters file mode $(stat -c %a "${argument#@}")" >>"$FAKE_AZ_LOG" ;;
        *=*) declared_parameter "${argument%%=*}" || { echo "fake az: the template declares no parameter ${argument%%=*}" >&2; exit 1; }
             [ "$argument" = "storeHubSecretKey=true" ] && touch "$state/secret" ;;
      esac
    fi
    previous="$argument"
  done
  touch "$state/deployed"
  printf 'https://hub-gateway.example.test\thub-cp-fake\thubcrfake\thubcrfake.registry.test\n'
}

case "$1 ${2:-}" in
  "version --query") echo "${FAKE_AZ_VERSION:-2.79.0}" ;;
  "account show") echo 00000000-0000-0000-0000-000000000001 ;;
  "group show") [ -f "$state/group" ] && echo westeurope || exit 3 ;;
  "group create") touch "$state/group"; echo /subscriptions/fake/resourceGroups/fake ;;
  "group delete") rm -f "$state/group" ;;
  "provider register") ;;
  "deployment group")
    case "$3" in
      show) [ -f "$state/deployed" ] || exit 3; query_output "$@" ;;
      create) [ "${FAKE_AZ_HANG:-}" != deployment ] || exec sleep 600
              create_deployment "$@" ;;
      *) exit 2 ;;
    esac ;;
  "resource show")
    if [[ "$*" == *"--resource-type secrets"* ]]; then [ -f "$state/secret" ] || exit 3; echo secret-id
    else exit 3
    fi ;;
  "resource list") printf '%s\n' /subscriptions/fake/containerGroups/u-alice /subscriptions/fake/containerGroups/u-bob ;;
  "resource delete") ;;
  "acr build")
    if [ "${FAKE_AZ_ACR_TASKS:-}" = refused ]; then
      echo "(TasksOperationsNotAllowed) ACR Tasks requests for the registry hubcrfake and 00000000-0000-0000-0000-000000000001 are not permitted." >&2
      echo "Code: TasksOperationsNotAllowed" >&2
      exit 1
    fi
    echo "Run ID: fake1 was successful" ;;
  "acr login") echo "Login Succeeded" ;;
  "functionapp deployment") ;;
  "keyvault list") echo hubkvfake ;;
  "keyvault purge") ;;
  *) echo "fake az: no canned answer for: $*" >&2; exit 2 ;;
esac
