# CrmPulse container image. The build stage runs the same `dotnet publish` of src/CrmPulse that the stack tests run
# (Release, framework-dependent, crmpulse.dll); the runtime stage is ASP.NET Core 10 as a non-root user.
#   docker build -t crmpulse .     docker run -p 127.0.0.1:5080:8080 -e CRMPULSE__API__APIKEYS__0=... crmpulse
# Base images are pinned to a patch version (the SDK and runtime the tests run on); bump both together.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# Restore first, from the project files only: this layer (the packages) is rebuilt only when a project file or a
# package version changes, not on every source change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/CrmPulse/CrmPulse.csproj src/CrmPulse/
COPY src/CrmPulse.Core/CrmPulse.Core.csproj src/CrmPulse.Core/
COPY src/CrmPulse.Sources/CrmPulse.Sources.csproj src/CrmPulse.Sources/
COPY src/CrmPulse.Storage/CrmPulse.Storage.csproj src/CrmPulse.Storage/
RUN dotnet restore src/CrmPulse/CrmPulse.csproj
COPY src/ src/
# `crmpulse config sample` embeds the sample configurations.
COPY samples/config/ samples/config/
RUN dotnet publish src/CrmPulse/CrmPulse.csproj -c Release -o /app --nologo --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble
WORKDIR /app
COPY --from=build /app .
# The store (mirror and ledger) lives in a volume owned by the unprivileged user of the base image ("app", uid 1654).
RUN mkdir -p /var/lib/crmpulse && chown app:app /var/lib/crmpulse
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    CRMPULSE__STORE__PATH=/var/lib/crmpulse/crmpulse.db \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME /var/lib/crmpulse
EXPOSE 8080
# The aspnet image has no curl or wget: bash's /dev/tcp sends the request, and grep wants "200" on the status line.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "crmpulse.dll"]
