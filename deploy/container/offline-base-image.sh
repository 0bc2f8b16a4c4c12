#!/usr/bin/env bash
# Builds a .NET runtime base image from THIS machine's .NET installation and pushes it to a registry on loopback, so
# that `dotnet publish -t:PublishContainer` can build Myna's image where mcr.microsoft.com cannot be reached (CI, an
# air-gapped machine). Where the Microsoft base image is reachable, none of this is needed (deploy/README.md).
#
# Needs (Debian): docker-registry skopeo umoci. Usage:
#   deploy/container/offline-base-image.sh [REGISTRY_ADDRESS] [WORK_DIR]
# Prints the base image reference to pass as -p:ContainerBaseImage=…; the registry keeps running (its pid is in
# WORK_DIR/registry.pid). The SDK talks plain HTTP to it when DOTNET_CONTAINER_INSECURE_REGISTRIES names it.
set -euo pipefail

registry="${1:-127.0.0.1:5055}"
work="${2:-${TMPDIR:-/tmp}/myna-base-image}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { print $2 }' | sort -V | tail -n 1)"
tag="${runtime_version%.*}" # 10.0.12 → 10.0: the tag the SDK's base image would have
image="$registry/myna-base:$tag"

rm -rf "$work"
mkdir -p "$work/rootfs" "$work/registry"
rootfs="$work/rootfs"

# 1. The .NET host and the two shared frameworks a framework-dependent `myna` needs, where the official images keep them.
mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/tmp"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/LICENSE.txt" "$rootfs/usr/share/dotnet/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
  cp -a "$dotnet_root/shared/$framework/$runtime_version" "$rootfs/usr/share/dotnet/shared/$framework/"
done
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

# 2. The shared libraries the runtime links (ldd) or opens at run time: ICU (globalization) and OpenSSL (hashing of
#    API keys, TLS); without libssl the runtime stops at start-up ("No usable version of libssl was found").
native=$(find "$rootfs/usr/share/dotnet" -name '*.so' -o -name dotnet -type f)
dlopened=$(ls /usr/lib/x86_64-linux-gnu/libicu{uc,i18n,data}.so.[0-9]* /usr/lib/x86_64-linux-gnu/lib{ssl,crypto}.so.3 2>/dev/null)
libraries=$( { for f in $native $dlopened; do ldd "$f" 2>/dev/null || true; done; echo "$dlopened"; } | grep -o '/[^ ]*\.so[^ ]*' | sort -u)
for library in $libraries; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
# Debian's merged /usr: /lib is /usr/lib.
if [ -d "$rootfs/lib" ] && [ ! -L "$rootfs/lib" ]; then
  mkdir -p "$rootfs/usr/lib"
  cp -a "$rootfs/lib/." "$rootfs/usr/lib/"
  rm -rf "$rootfs/lib"
fi
ln -s usr/lib "$rootfs/lib"

# 3. The non-root user the SDK runs .NET 8+ apps as (ContainerUser "app", uid 1654, as in the official images).
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/home/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
mkdir -p "$rootfs/home/app"
chmod 1777 "$rootfs/tmp"

# 4. An OCI image of that tree, pushed to a registry on loopback.
cd "$work"
umoci init --layout oci
umoci new --image oci:base
umoci unpack --rootless --image oci:base bundle >/dev/null
rm -rf bundle/rootfs
cp -a rootfs bundle/rootfs
umoci repack --image oci:base bundle
umoci config --image oci:base --tag "$tag" --os linux --architecture amd64 \
  --config.env DOTNET_ROOT=/usr/share/dotnet --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env APP_UID=1654 --config.user 1654 --config.workingdir /app
cat > registry/config.yml <<CONFIG
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: $registry
CONFIG
docker-registry serve registry/config.yml > registry/log 2>&1 &
echo $! > registry.pid
for _ in $(seq 50); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
skopeo copy --quiet --dest-tls-verify=false "oci:oci:$tag" "docker://$image"
echo "$image"
