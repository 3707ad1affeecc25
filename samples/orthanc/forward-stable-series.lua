-- Forwards every stable CT series to the InnerEye inferencing service (the DICOMweb server "innereye" of
-- orthanc.json) by STOW-RS through the DICOMweb plugin. Series of other modalities, the RT Structure Sets the
-- service sends back among them, are not forwarded.

local SERVER = 'innereye'
local FORWARDED_MODALITIES = { CT = true }

function OnStableSeries(seriesId, tags, metadata)
  local modality = tags['Modality']
  if not FORWARDED_MODALITIES[modality] then
    return
  end

  -- Asynchronous: the plugin answers at once with a job (GET /jobs/{id}) and sends in the background, so the Lua
  -- engine is not held while the series uploads. A failed job can be sent again by POST /jobs/{id}/resubmit.
  local request = DumpJson({ Resources = { seriesId }, Synchronous = false }, true)
  local ok, answer = pcall(RestApiPost, '/dicom-web/servers/' .. SERVER .. '/stow', request)
  if ok then
    print('Forwarding ' .. modality .. ' series ' .. seriesId .. ' to ' .. SERVER .. ': job ' .. ParseJson(answer)['ID'])
  else
    print('Could not forward series ' .. seriesId .. ' to ' .. SERVER .. ': ' .. tostring(answer))
  end
end
