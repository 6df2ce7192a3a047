#!/usr/bin/env bash
# Deploys Serverless Hub to Azure with the Azure CLI, or tears it down.
#
#   infra/deploy.sh [up] [options]   the template, the control plane and the gateway image; prints the hub URL
#   infra/deploy.sh infra [options]  the template only (settings, scale, network); the code stays as it is
#   infra/deploy.sh down [options]   deletes the resource group with everything in it, students' files included
#   infra/deploy.sh verify [options] checks the deployed hub (infra/verify.sh) and names the resource behind each failure
#
# Options:
#   -g, --resource-group NAME   the hub's resource group (default: serverless-hub); created when missing
#   -l, --location REGION       region of a new resource group (default: westeurope)
#   -p, --parameters FILE       template parameters (default: infra/azuredeploy.parameters.json)
#       --gateway-image IMAGE   up: run this prebuilt gateway image instead of building one
#       --yes                   down: do not ask before deleting
#       --user NAME             verify: the test user (HUB_VERIFY_TOKEN: an admin's API token for the server checks)
#   -h, --help                  this text
#
# Needs Azure CLI 2.60.0 or later. Every wait is bounded; runs on bash 3.2 (macOS) and later.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/infra/azuredeploy.json"
DEPLOYMENT_NAME="serverless-hub"
GATEWAY_REPOSITORY="hub-gateway"
# Flex Consumption needs Azure CLI 2.60.0 or later (Learn, "Create and manage function apps in the Flex Consumption plan").
MIN_AZ_VERSION="2.60.0"
# Upper bounds, in seconds, of the steps that wait on Azure.
DEPLOY_TIMEOUT="${HUB_DEPLOY_TIMEOUT:-3600}"
PACKAGE_TIMEOUT="${HUB_PACKAGE_TIMEOUT:-900}"
BUILD_TIMEOUT="${HUB_BUILD_TIMEOUT:-1800}"
HEALTH_TIMEOUT="${HUB_HEALTH_TIMEOUT:-600}"
# Where the function app package and the gateway image's build context are staged.
ARTIFACTS="${HUB_ARTIFACTS_DIR:-$ROOT/artifacts}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

command_name="up"
resource_group="serverless-hub"
location="westeurope"
parameters="$ROOT/infra/azuredeploy.parameters.json"
assume_yes=false
gateway_image=""
verify_user="hub-verify"

parse_arguments() {
  if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
    command_name="$1"
    shift
  fi
  case "$command_name" in
    up | infra | down | verify) ;;
    *) usage >&2; printf 'deploy: unknown command "%s" (up, infra, down or verify)\n' "${command_name:0:40}" >&2; exit 2 ;;
  esac
  while [ $# -gt 0 ]; do
    case "$1" in
      -g | --resource-group) [ $# -ge 2 ] || die "$1 needs a value"; resource_group="$2"; shift 2 ;;
      -l | --location) [ $# -ge 2 ] || die "$1 needs a value"; location="$2"; shift 2 ;;
      -p | --parameters) [ $# -ge 2 ] || die "$1 needs a value"; parameters="$2"; shift 2 ;;
      --gateway-image) [ $# -ge 2 ] || die "$1 needs a value"; gateway_image="$2"; shift 2 ;;
      --yes) assume_yes=true; shift ;;
      --user) [ $# -ge 2 ] || die "$1 needs a value"; verify_user="$2"; shift 2 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; printf 'deploy: unknown option "%s"\n' "${1:0:40}" >&2; exit 2 ;;
    esac
  done
  [[ "$resource_group" =~ ^[-A-Za-z0-9._()]{1,90}$ ]] || die "--resource-group must be 1 to 90 letters, digits or -._() characters, not '${resource_group:0:100}'"
  [[ "$location" =~ ^[a-z0-9]+$ ]] || die "--location must be a region name such as westeurope, not '${location:0:40}'"
  [ -f "$parameters" ] || die "the parameters file $parameters does not exist"
  [ -z "$gateway_image" ] || [[ "$gateway_image" =~ ^[a-z0-9][-a-z0-9._/:@]{0,254}$ ]] \
    || die "--gateway-image must be an image reference such as {registry}/hub-gateway:{tag}, not '${gateway_image:0:100}'"
}

# Runs a command for at most $1 seconds and returns 124 if it had to be stopped. Portable: macOS has no timeout(1).
bounded() { # seconds command...
  local deadline=$((SECONDS + $1)) pid
  shift
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 124
    fi
    sleep 1
  done
  wait "$pid"
}

# Succeeds when version $1 is at least $2 (dotted numbers).
version_at_least() { # version minimum
  local IFS=.
  # shellcheck disable=SC2206 # splitting at the dots is the point
  local have=($1) want=($2) i
  for i in 0 1 2; do
    [ "${have[i]:-0}" -gt "${want[i]:-0}" ] 2>/dev/null && return 0
    [ "${have[i]:-0}" -lt "${want[i]:-0}" ] 2>/dev/null && return 1
  done
  return 0
}

require_az_version() {
  local version
  version="$(bounded 60 az version --query '"azure-cli"' -o tsv 2>/dev/null || true)"
  [[ "$version" =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || die "could not read the Azure CLI's version ('az version' said '${version:0:40}'); version $MIN_AZ_VERSION or later is needed"
  version_at_least "$version" "$MIN_AZ_VERSION" \
    || die "Azure CLI $version is too old: $MIN_AZ_VERSION or later is needed for Flex Consumption function apps. Update it ('az upgrade', or see https://aka.ms/installazurecli) and run again"
}

require_tools() { # command...
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (see docs/deploy.md, 'Prerequisites': the Azure CLI, the .NET 10 SDK, zip, curl)"
  require_az_version
  bounded 120 az account show --query id -o tsv >/dev/null 2>&1 || die "the Azure CLI is not signed in: run 'az login' (and 'az account set --subscription ...')"
}

# The value of one output of the last deployment of the template to this resource group; empty when there is none.
previous_output() { # name
  az deployment group show --resource-group "$resource_group" --name "$DEPLOYMENT_NAME" \
    --query "properties.outputs.$1.value" -o tsv 2>/dev/null || true
}

# Keeps the hub secret key across deployments: a new key would sign everyone out and break running servers' tokens.
# ARM shows whether the secret exists (its metadata, never its value) to anyone who can read the resource group.
hub_secret_key_exists() {
  local vault secret
  vault="$(previous_output keyVaultName)"
  secret="$(previous_output hubSecretKeyName)"
  [ -n "$vault" ] && [ -n "$secret" ] || return 1
  az resource show --resource-group "$resource_group" --namespace Microsoft.KeyVault --parent "vaults/$vault" \
    --resource-type secrets --name "$secret" --query id -o tsv >/dev/null 2>&1
}

# The image the gateway runs now, so that deploying the template again updates its settings instead of skipping it.
current_gateway_image() {
  local app
  app="$(previous_output gatewayAppName)"
  [ -n "$app" ] || return 0
  az resource show --resource-group "$resource_group" --resource-type Microsoft.App/containerApps --name "$app" \
    --query "properties.template.containers[0].image" -o tsv 2>/dev/null || true
}

# Deploys the template; prints the outputs the later steps need, tab-separated on one line.
deploy_template() { # gateway-image
  local secret_args=() store_key=false code
  if ! hub_secret_key_exists; then
    store_key=true
    # A parameters file readable only by us keeps the key out of the process list and the shell history.
    (
      umask 077
      cat >"$work/secret.parameters.json" <<JSON
{"\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
 "parameters": {"hubSecretKey": {"value": "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"}}}
JSON
    )
    secret_args=(--parameters "@$work/secret.parameters.json")
  fi
  say "Deploying the template to $resource_group (new hub secret key: $store_key; gateway image: ${1:-none yet})"
  bounded "$DEPLOY_TIMEOUT" az deployment group create --resource-group "$resource_group" --name "$DEPLOYMENT_NAME" \
    --template-file "$TEMPLATE" --parameters "@$parameters" ${secret_args[@]+"${secret_args[@]}"} \
    --parameters "storeHubSecretKey=$store_key" "gatewayImage=$1" \
    --query "[properties.outputs.hubUrl.value, properties.outputs.functionAppName.value, properties.outputs.registryName.value, properties.outputs.registryLoginServer.value]" \
    -o tsv || {
    code=$?
    rm -f "$work/secret.parameters.json"
    [ $code -ne 124 ] || die "the template's deployment did not finish within $((DEPLOY_TIMEOUT / 60)) minutes; see its state: az deployment group show -g $resource_group -n $DEPLOYMENT_NAME"
    die "the template's deployment failed (see the error above, or: az deployment group show -g $resource_group -n $DEPLOYMENT_NAME)"
  }
  rm -f "$work/secret.parameters.json"
}

ensure_resource_group() {
  if az group show --name "$resource_group" --query location -o tsv >/dev/null 2>&1; then
    say "Using the resource group $resource_group"
  else
    say "Creating the resource group $resource_group in $location"
    az group create --name "$resource_group" --location "$location" --query id -o tsv >/dev/null
  fi
  # The control plane creates container groups itself, so ARM does not register this provider for the template.
  bounded 600 az provider register --namespace Microsoft.ContainerInstance --wait >/dev/null \
    || die "registering Microsoft.ContainerInstance did not finish within 10 minutes; see: az provider show -n Microsoft.ContainerInstance"
}

deploy_infrastructure() {
  ensure_resource_group
  deploy_template "$(current_gateway_image)"
}

publish_control_plane() { # function-app
  say "Publishing the control plane"
  "$ROOT/hub" publish "$ARTIFACTS/functionapp"
  say "Deploying the function app package to $1"
  # Bounded: after uploading, Azure CLI releases before May 2026 poll the app's host status from this machine and, as
  # the app refuses every address but the gateway's subnet, loop on the 403 for ever (Azure/azure-cli#31394).
  local code=0
  bounded "$PACKAGE_TIMEOUT" az functionapp deployment source config-zip --resource-group "$resource_group" --name "$1" \
    --src "$ARTIFACTS/functionapp.zip" >/dev/null || code=$?
  case $code in
    0) ;;
    124) say "The package upload did not return within $((PACKAGE_TIMEOUT / 60)) minutes; older Azure CLI releases keep polling the app's health, which refuses this machine. Going on: 'infra/deploy.sh verify' checks the control plane." ;;
    *) die "deploying the function app package failed (see above); the app's deployments: az functionapp deployment list -g $resource_group -n $1" ;;
  esac
}

# Builds the gateway image in the registry (no local Docker needed): the gateway published self-contained for
# linux-x64 beside gateway/Dockerfile is the whole build context.
build_gateway_image() { # registry login-server; prints the image
  local context="$ARTIFACTS/gateway-image" tag
  tag="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)-$(date -u +%Y%m%d%H%M%S)"
  say "Publishing the gateway (self-contained, linux-x64)"
  rm -rf "$context" && mkdir -p "$context"
  dotnet publish "$ROOT/gateway/Hub.Gateway/Hub.Gateway.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishReadyToRun=true -p:DebugType=none -p:GenerateDocumentationFile=false --artifacts-path "$work/gateway-build" \
    -o "$context/app" -v quiet -nologo >/dev/null || die "dotnet publish of the gateway failed"
  cp "$ROOT/gateway/Dockerfile" "$context/Dockerfile"
  say "Building $GATEWAY_REPOSITORY:$tag in the registry $1"
  local code=0
  bounded "$BUILD_TIMEOUT" az acr build --registry "$1" --image "$GATEWAY_REPOSITORY:$tag" "$context" >&2 || code=$?
  if [ $code -ne 0 ]; then
    # ACR Tasks are refused on some subscriptions (free credits, e.g. Azure for Students): build here instead.
    command -v docker >/dev/null || die "the registry could not build the gateway image ('az acr build' failed; ACR Tasks are not available on free-credit subscriptions such as Azure for Students). Either install Docker and run again (the image is then built here and pushed to $2), or build and push gateway/Dockerfile elsewhere and pass --gateway-image IMAGE"
    say "'az acr build' failed; building the image with the local Docker and pushing it to $2"
    bounded 300 az acr login --name "$1" >&2 || die "could not sign Docker in to the registry $1 (az acr login)"
    bounded "$BUILD_TIMEOUT" docker build --platform linux/amd64 -t "$2/$GATEWAY_REPOSITORY:$tag" "$context" >&2 || die "docker build of the gateway image failed (see above)"
    bounded "$BUILD_TIMEOUT" docker push "$2/$GATEWAY_REPOSITORY:$tag" >&2 || die "docker push to $2 failed (see above)"
  fi
  printf '%s/%s:%s\n' "$2" "$GATEWAY_REPOSITORY" "$tag"
}

wait_for_hub() { # url
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  say "Waiting for the gateway at $1/health"
  until curl -fsS --max-time 10 -o /dev/null "$1/health" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "the gateway did not answer $1/health within $((HEALTH_TIMEOUT / 60)) minutes; see its logs: az containerapp logs show -g $resource_group -n <gateway app>"
    sleep 5
  done
  if ! curl -fsS --max-time 10 -o /dev/null "$1/hub/health" 2>/dev/null; then
    say "The gateway answers, but $1/hub/health does not yet: the control plane may still be starting (Log Analytics has both apps' logs)."
  fi
}

# The deployment's outputs, checked: hub URL, function app, registry, registry login server.
read_outputs() { # tab-separated outputs
  IFS=$'\t' read -r hub_url function_app registry login_server <<<"$1"
  if [ -z "$hub_url" ] || [ -z "$function_app" ] || [ -z "$login_server" ]; then
    die "the deployment returned no outputs; see: az deployment group show -g $resource_group -n $DEPLOYMENT_NAME"
  fi
}

up() {
  require_tools az dotnet zip curl
  local hub_url function_app registry login_server outputs image
  outputs="$(deploy_infrastructure)"
  read_outputs "$outputs"
  # The gateway image first: when it cannot be built, the running hub is left as it was (code and image).
  if [ -n "$gateway_image" ]; then
    image="$gateway_image"
  else
    image="$(build_gateway_image "$registry" "$login_server")"
  fi
  publish_control_plane "$function_app"
  outputs="$(deploy_template "$image")"
  read_outputs "$outputs"
  wait_for_hub "$hub_url"
  say "Serverless Hub is running: $hub_url/hub/"
  printf '%s/hub/\n' "$hub_url"
}

infra() {
  require_tools az
  local hub_url function_app registry login_server outputs
  outputs="$(deploy_infrastructure)"
  read_outputs "$outputs"
  say "Deployed the template; the hub's URL: $hub_url/hub/"
  printf '%s/hub/\n' "$hub_url"
}

down() {
  require_tools az
  if ! az group show --name "$resource_group" --query id -o tsv >/dev/null 2>&1; then
    say "There is no resource group $resource_group; nothing to delete"
    return 0
  fi
  if [ "$assume_yes" != true ]; then
    [ -t 0 ] || die "deleting $resource_group needs a confirmation: run in a terminal, or pass --yes"
    local answer
    read -r -p "This deletes $resource_group and everything in it, every student's files included. Type its name to go on: " answer
    [ "$answer" = "$resource_group" ] || die "not deleted (the name did not match)"
  fi
  local vaults groups
  vaults="$(az keyvault list --resource-group "$resource_group" --query "[].name" -o tsv)"
  # Container groups first: while they hold the delegated subnet, the network cannot be deleted.
  groups="$(az resource list --resource-group "$resource_group" --resource-type Microsoft.ContainerInstance/containerGroups --query "[].id" -o tsv)"
  if [ -n "$groups" ]; then
    say "Deleting $(wc -l <<<"$groups") user server(s)"
    # shellcheck disable=SC2086 # one id per word
    az resource delete --ids $groups >/dev/null
  fi
  say "Deleting the resource group $resource_group (this takes several minutes)"
  bounded "$DEPLOY_TIMEOUT" az group delete --name "$resource_group" --yes \
    || die "deleting $resource_group did not finish (or failed); see: az group show -n $resource_group"
  # A deleted vault keeps its name for its retention period; purging frees it for the next deployment.
  for vault in $vaults; do
    say "Purging the deleted key vault $vault"
    az keyvault purge --name "$vault" >/dev/null || say "Could not purge $vault; it is purged by itself after its retention period"
  done
  say "Deleted $resource_group"
}

verify() {
  require_tools az curl
  local hub_url function_app gateway_app homes host
  hub_url="$(previous_output hubUrl)"
  function_app="$(previous_output functionAppName)"
  gateway_app="$(previous_output gatewayAppName)"
  homes="$(previous_output homesAccountName)"
  if [ -z "$hub_url" ] || [ -z "$function_app" ]; then die "no deployment of the hub in $resource_group to verify (az deployment group show -g $resource_group -n $DEPLOYMENT_NAME)"; fi
  host="$(bounded 120 az resource show --resource-group "$resource_group" --resource-type Microsoft.Web/sites --name "$function_app" \
    --query properties.defaultHostName -o tsv 2>/dev/null || true)"
  local control_plane=()
  [ -z "$host" ] || control_plane=(--control-plane "https://$host")
  "$ROOT/infra/verify.sh" --url "$hub_url" --user "$verify_user" ${control_plane[@]+"${control_plane[@]}"} \
    --gateway-resource "container app $gateway_app in $resource_group (az containerapp logs show -g $resource_group -n $gateway_app)" \
    --control-plane-resource "function app $function_app in $resource_group (Application Insights: requests, traces)" \
    --servers-resource "container groups in $resource_group and storage account $homes (file shares)"
}

parse_arguments "$@"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$command_name"
