#!/usr/bin/env bash
# Deploys Serverless Hub to Azure with the Azure CLI, or tears it down.
#
#   infra/deploy.sh [up] [options]   the template, the control plane and the gateway image; prints the hub URL
#   infra/deploy.sh infra [options]  the template only (settings, scale, network); the code stays as it is
#   infra/deploy.sh down [options]   deletes the resource group with everything in it, students' files included
#
# Options:
#   -g, --resource-group NAME   the hub's resource group (default: serverless-hub); created when missing
#   -l, --location REGION       region of a new resource group (default: westeurope)
#   -p, --parameters FILE       template parameters (default: infra/azuredeploy.parameters.json)
#       --yes                   down: do not ask before deleting
#   -h, --help                  this text
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/infra/azuredeploy.json"
DEPLOYMENT_NAME="serverless-hub"
GATEWAY_REPOSITORY="hub-gateway"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

command_name="up"
resource_group="serverless-hub"
location="westeurope"
parameters="$ROOT/infra/azuredeploy.parameters.json"
assume_yes=false

parse_arguments() {
  if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
    command_name="$1"
    shift
  fi
  case "$command_name" in
    up | infra | down) ;;
    *) usage >&2; printf 'deploy: unknown command "%s" (up, infra or down)\n' "${command_name:0:40}" >&2; exit 2 ;;
  esac
  while [ $# -gt 0 ]; do
    case "$1" in
      -g | --resource-group) [ $# -ge 2 ] || die "$1 needs a value"; resource_group="$2"; shift 2 ;;
      -l | --location) [ $# -ge 2 ] || die "$1 needs a value"; location="$2"; shift 2 ;;
      -p | --parameters) [ $# -ge 2 ] || die "$1 needs a value"; parameters="$2"; shift 2 ;;
      --yes) assume_yes=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; printf 'deploy: unknown option "%s"\n' "${1:0:40}" >&2; exit 2 ;;
    esac
  done
  [[ "$resource_group" =~ ^[-A-Za-z0-9._()]{1,90}$ ]] || die "--resource-group must be 1 to 90 letters, digits or -._() characters, not '${resource_group:0:100}'"
  [[ "$location" =~ ^[a-z0-9]+$ ]] || die "--location must be a region name such as westeurope, not '${location:0:40}'"
  [ -f "$parameters" ] || die "the parameters file $parameters does not exist"
}

require_tools() { # command...
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (see docs/deploy.md, 'Prerequisites': the Azure CLI, the .NET 10 SDK, zip, curl)"
  az account show --query id -o tsv >/dev/null 2>&1 || die "the Azure CLI is not signed in: run 'az login' (and 'az account set --subscription ...')"
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
  local secret_args=() store_key=false
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
  az deployment group create --resource-group "$resource_group" --name "$DEPLOYMENT_NAME" \
    --template-file "$TEMPLATE" --parameters "@$parameters" "${secret_args[@]}" \
    --parameters "storeHubSecretKey=$store_key" "gatewayImage=$1" \
    --query "[properties.outputs.hubUrl.value, properties.outputs.functionAppName.value, properties.outputs.registryName.value, properties.outputs.registryLoginServer.value]" \
    -o tsv
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
  az provider register --namespace Microsoft.ContainerInstance --wait >/dev/null
}

deploy_infrastructure() {
  ensure_resource_group
  deploy_template "$(current_gateway_image)"
}

publish_control_plane() { # function-app
  say "Publishing the control plane"
  "$ROOT/hub" publish
  say "Deploying the function app package to $1"
  az functionapp deployment source config-zip --resource-group "$resource_group" --name "$1" \
    --src "$ROOT/artifacts/functionapp.zip" >/dev/null
}

# Builds the gateway image in the registry (no local Docker needed): the gateway published self-contained for
# linux-x64 beside gateway/Dockerfile is the whole build context.
build_gateway_image() { # registry login-server; prints the image
  local context="$ROOT/artifacts/gateway-image" tag
  tag="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)-$(date -u +%Y%m%d%H%M%S)"
  say "Publishing the gateway (self-contained, linux-x64)"
  rm -rf "$context" && mkdir -p "$context"
  dotnet publish "$ROOT/gateway/Hub.Gateway/Hub.Gateway.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishReadyToRun=true -p:DebugType=none -p:GenerateDocumentationFile=false --artifacts-path "$work/gateway-build" \
    -o "$context/app" -v quiet -nologo >/dev/null || die "dotnet publish of the gateway failed"
  cp "$ROOT/gateway/Dockerfile" "$context/Dockerfile"
  say "Building $GATEWAY_REPOSITORY:$tag in the registry $1"
  az acr build --registry "$1" --image "$GATEWAY_REPOSITORY:$tag" "$context" >&2
  printf '%s/%s:%s\n' "$2" "$GATEWAY_REPOSITORY" "$tag"
}

wait_for_hub() { # url
  local deadline=$((SECONDS + 600))
  say "Waiting for the gateway at $1/health"
  until curl -fsS -o /dev/null "$1/health" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "the gateway did not answer $1/health within 10 minutes; see its logs: az containerapp logs show -g $resource_group -n <gateway app>"
    sleep 5
  done
  if ! curl -fsS -o /dev/null "$1/hub/health" 2>/dev/null; then
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
  publish_control_plane "$function_app"
  image="$(build_gateway_image "$registry" "$login_server")"
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
  az group delete --name "$resource_group" --yes
  # A deleted vault keeps its name for its retention period; purging frees it for the next deployment.
  for vault in $vaults; do
    say "Purging the deleted key vault $vault"
    az keyvault purge --name "$vault" >/dev/null || say "Could not purge $vault; it is purged by itself after its retention period"
  done
  say "Deleted $resource_group"
}

parse_arguments "$@"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$command_name"
