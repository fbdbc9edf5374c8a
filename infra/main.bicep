// PostGate on Azure Functions (Linux Flex Consumption, custom handler) with its decision log in Table Storage.
targetScope = 'resourceGroup'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Short prefix for resource names (3-11 lower-case letters or digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'postgate'

@description('Table that holds decisions and account timelines.')
param decisionsTableName string = 'PostGateDecisions'

@description('Most instances the Flex Consumption plan may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB (Flex Consumption sizes).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Client id of the Microsoft Entra app registration (app roles marketer and compliance) that signs people in. When set, App Service authentication is turned on for the site and the gate takes callers\' roles from its X-MS-CLIENT-PRINCIPAL header; when empty, only API keys authenticate.')
param entraClientId string = ''

@description('Tenant of the app registration.')
param entraTenantId string = tenant().tenantId

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = take('${namePrefix}${suffix}', 24)
var deploymentContainer = 'deploymentpackage'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    name: '${namePrefix}-${suffix}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: storageName
    deploymentContainer: deploymentContainer
    decisionsTableName: decisionsTableName
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    storageName: storage.outputs.name
    principalId: identity.properties.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    name: '${namePrefix}-${suffix}'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    decisionsTableName: decisionsTableName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    entraClientId: entraClientId
    entraTenantId: entraTenantId
  }
  dependsOn: [
    roles
  ]
}

@description('The function app host name; the API is under https://<host>/api/.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('The storage account holding the decision log.')
output storageAccountName string = storage.outputs.name
